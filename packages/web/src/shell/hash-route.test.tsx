import { describe, expect, it } from 'vitest';
import { parseHash, routeHref } from './hash-route.tsx';

describe('hash routes', () => {
  it('reads path and query from the hash', () => {
    const route = parseHash('#/viewer?study=1.2.3&dicomweb=%2Fdicomweb');
    expect(route.path).toBe('/viewer');
    expect(route.params.get('study')).toBe('1.2.3');
    expect(route.params.get('dicomweb')).toBe('/dicomweb');
  });

  it('treats an empty or slash-less hash as a path from the root', () => {
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#').path).toBe('/');
    expect(parseHash('#viewer').path).toBe('/viewer');
  });

  it('builds hrefs that parse back to the same route', () => {
    const href = routeHref('/viewer', { study: '1.2.840.1', dicomweb: 'https://pacs.example/dicomweb' });
    const route = parseHash(href);
    expect(route.path).toBe('/viewer');
    expect(route.params.get('dicomweb')).toBe('https://pacs.example/dicomweb');
  });
});
