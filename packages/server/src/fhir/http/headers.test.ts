import { AppError } from '@yiyun/fhir';
import type { StoredResource } from '@yiyun/store';
import { describe, expect, it } from 'vitest';
import { etagOf, parseIfMatch, resourceHeaders } from './headers.ts';

describe('version headers', () => {
  it('writes weak ETags', () => {
    expect(etagOf('7')).toBe('W/"7"');
  });

  it('reads If-Match in its usual spellings', () => {
    expect(parseIfMatch('W/"3"')).toBe('3');
    expect(parseIfMatch('"3"')).toBe('3');
    expect(parseIfMatch('3')).toBe('3');
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it('rejects a malformed If-Match', () => {
    expect(() => parseIfMatch('W/"1\'; drop table x;--"')).toThrow(AppError);
  });

  it('builds Location with the version', () => {
    const r = {
      resourceType: 'Patient',
      id: 'a',
      meta: { versionId: '2', lastUpdated: '2024-01-02T03:04:05.000Z' },
    } as StoredResource;
    const h = resourceHeaders(r, { baseUrl: 'http://x/fhir/R4', location: true });
    expect(h['location']).toBe('http://x/fhir/R4/Patient/a/_history/2');
    expect(h['last-modified']).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
  });
});
