import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parseCount, parseInstantParam, parseOffset } from './paging.ts';

const config = { baseUrl: 'http://h/fhir/R4', maxBodyBytes: 1000, defaultCount: 20, maxCount: 100 };

describe('paging parameters', () => {
  it('defaults and clamps _count', () => {
    expect(parseCount(new URLSearchParams(), config)).toBe(20);
    expect(parseCount(new URLSearchParams('_count=5000'), config)).toBe(100);
    expect(parseCount(new URLSearchParams('_count=0'), config)).toBe(0);
  });

  it('rejects non-numeric paging values', () => {
    expect(() => parseCount(new URLSearchParams("_count=1';drop"), config)).toThrow(AppError);
    expect(() => parseOffset(new URLSearchParams('_offset=-1'))).toThrow(AppError);
  });

  it('reads _since as an ISO instant', () => {
    expect(parseInstantParam(new URLSearchParams('_since=2024-01-02T03:04:05Z'), '_since')).toBe(
      '2024-01-02T03:04:05.000Z',
    );
    expect(parseInstantParam(new URLSearchParams('_since=2024'), '_since')).toBe('2024-01-01T00:00:00.000Z');
    expect(() => parseInstantParam(new URLSearchParams('_since=yesterday'), '_since')).toThrow(AppError);
  });
});
