import { describe, expect, it } from 'vitest';
import { buildPagingLinks } from './links.ts';

const url = 'http://h/fhir/R4/Patient';

function rel(links: ReturnType<typeof buildPagingLinks>, r: string): string | undefined {
  return links.find((l) => l.relation === r)?.url;
}

describe('buildPagingLinks', () => {
  it('keeps the other parameters and replaces paging ones', () => {
    const params = new URLSearchParams('name=li&_count=5&_offset=10&name=wang');
    const links = buildPagingLinks({ url, params, offset: 10, count: 5, hasMore: true });
    expect(rel(links, 'self')).toBe(`${url}?name=li&name=wang&_count=5&_offset=10`);
    expect(rel(links, 'next')).toBe(`${url}?name=li&name=wang&_count=5&_offset=15`);
    expect(rel(links, 'previous')).toBe(`${url}?name=li&name=wang&_count=5&_offset=5`);
    expect(rel(links, 'first')).toBe(`${url}?name=li&name=wang&_count=5`);
  });

  it('has no next on the last page and no previous on the first', () => {
    const links = buildPagingLinks({
      url,
      params: new URLSearchParams(),
      offset: 0,
      count: 20,
      hasMore: false,
    });
    expect(links.map((l) => l.relation)).toEqual(['self', 'first']);
  });

  it('never links before the first result', () => {
    const links = buildPagingLinks({
      url,
      params: new URLSearchParams(),
      offset: 3,
      count: 20,
      hasMore: false,
    });
    expect(rel(links, 'previous')).toBe(`${url}?_count=20`);
  });

  it('encodes values that need it', () => {
    const params = new URLSearchParams();
    params.set('identifier', 'http://id|1 2&x');
    const links = buildPagingLinks({ url, params, offset: 0, count: 1, hasMore: false });
    expect(rel(links, 'self')).toBe(`${url}?identifier=http%3A%2F%2Fid%7C1+2%26x&_count=1`);
  });
});
