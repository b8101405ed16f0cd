import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import type { FhirRequest } from '../types.ts';
import { splitEntryUrl, toEntryRequest } from './entry-request.ts';

const base = 'http://h/fhir/R4';
const outer: FhirRequest = {
  method: 'POST',
  parts: [],
  query: new URLSearchParams(),
  headers: { prefer: 'return=minimal' },
};

describe('entry requests', () => {
  it('splits relative, rooted and absolute-at-base urls', () => {
    expect(splitEntryUrl('Patient/1', base).parts).toEqual(['Patient', '1']);
    expect(splitEntryUrl('/Patient/1/_history/2', base).parts).toEqual(['Patient', '1', '_history', '2']);
    const s = splitEntryUrl(`${base}/Patient?identifier=a%7Cb`, base);
    expect(s.parts).toEqual(['Patient']);
    expect(s.query.get('identifier')).toBe('a|b');
  });

  it('refuses urls on other servers', () => {
    expect(() => splitEntryUrl('http://evil/fhir/Patient/1', base)).toThrow(AppError);
  });

  it('carries conditional headers and the outer Prefer', () => {
    const req = toEntryRequest(
      {
        request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=x' },
        resource: { resourceType: 'Patient' },
      },
      outer,
      base,
    );
    expect(req.headers['if-none-exist']).toBe('identifier=x');
    expect(req.headers['prefer']).toBe('return=minimal');
    expect(req.body).toEqual({ resourceType: 'Patient' });
  });

  it('decodes a Binary JSON Patch', () => {
    const ops = [{ op: 'replace', path: '/active', value: false }];
    const data = Buffer.from(JSON.stringify(ops)).toString('base64');
    const req = toEntryRequest(
      {
        request: { method: 'PATCH', url: 'Patient/1' },
        resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data },
      },
      outer,
      base,
    );
    expect(req.contentType).toBe('application/json-patch+json');
    expect(req.body).toEqual(ops);
  });

  it('rejects a missing method', () => {
    expect(() => toEntryRequest({ request: { url: 'Patient' } as never }, outer, base)).toThrow(AppError);
  });
});
