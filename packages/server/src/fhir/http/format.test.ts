import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { assertAcceptable, classifyBody, mediaType } from './format.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : 'not-app-error';
  }
}

describe('content negotiation', () => {
  it('strips parameters from a media type', () => {
    expect(mediaType('Application/FHIR+json; charset=utf-8')).toBe('application/fhir+json');
    expect(mediaType(undefined)).toBeUndefined();
  });

  it('accepts the JSON _format spellings, including + decoded as space', () => {
    for (const f of ['json', 'application/json', 'application/fhir+json', 'application/fhir json']) {
      expect(codeOf(() => assertAcceptable(f, undefined))).toBeUndefined();
    }
  });

  it('refuses XML by _format or Accept', () => {
    expect(codeOf(() => assertAcceptable('xml', undefined))).toBe('unsupported-media-type');
    expect(codeOf(() => assertAcceptable(null, 'application/fhir+xml'))).toBe('unsupported-media-type');
  });

  it('accepts browser-style Accept headers with a wildcard', () => {
    expect(codeOf(() => assertAcceptable(null, 'text/html,application/xml;q=0.9,*/*;q=0.8'))).toBeUndefined();
  });

  it('classifies request bodies', () => {
    expect(classifyBody(undefined)).toBe('resource');
    expect(classifyBody('application/json')).toBe('resource');
    expect(classifyBody('application/json-patch+json')).toBe('json-patch');
    expect(classifyBody('application/x-www-form-urlencoded')).toBe('form');
    expect(codeOf(() => classifyBody('application/fhir+xml'))).toBe('unsupported-media-type');
  });
});
