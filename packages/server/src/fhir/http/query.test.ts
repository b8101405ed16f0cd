import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { assertCleanQuery, assertNoNulInJson } from './query.ts';

describe('NUL guards', () => {
  it('refuses a decoded %00 in a key or value', () => {
    expect(() => assertCleanQuery(new URLSearchParams('name=a%00b'))).toThrow(AppError);
    expect(() => assertCleanQuery(new URLSearchParams('na%00me=a'))).toThrow(AppError);
    expect(() => assertCleanQuery(new URLSearchParams('name=%2500'))).not.toThrow();
  });

  it('refuses an escaped NUL in JSON but not an escaped backslash before u0000', () => {
    expect(() => assertNoNulInJson('{"a":"x\\u0000"}')).toThrow(AppError);
    expect(() => assertNoNulInJson('{"a":"x\\\\\\u0000"}')).toThrow(AppError);
    expect(() => assertNoNulInJson('{"a":"x\\\\u0000"}')).not.toThrow();
  });
});
