import { describe, expect, it } from 'vitest';
import { dateRange, decimalRange, normalizeText } from './normalize.ts';

describe('normalizeText', () => {
  it('lower-cases, strips accents and folds spaces', () => {
    expect(normalizeText('  José   MÜLLER ')).toBe('jose muller');
    expect(normalizeText('A  b')).toBe('a b');
  });
  it('leaves Chinese characters as they are', () => {
    expect(normalizeText(' 张伟 ')).toBe('张伟');
  });
});

describe('decimalRange', () => {
  it('uses the implicit precision of the value', () => {
    expect(decimalRange('100')).toEqual({ value: '100', low: '99.5', high: '100.5' });
    expect(decimalRange('100.00')).toEqual({ value: '100', low: '99.995', high: '100.005' });
    expect(decimalRange('1e2')).toEqual({ value: '100', low: '95', high: '105' });
    expect(decimalRange('-0.5')).toEqual({ value: '-0.5', low: '-0.55', high: '-0.45' });
  });
  it('rejects non-numbers', () => {
    expect(decimalRange('abc')).toBeUndefined();
    expect(decimalRange('1..2')).toBeUndefined();
  });
});

describe('dateRange', () => {
  it('turns partial dates into ranges', () => {
    expect(dateRange('2020')).toEqual({ low: '2020-01-01T00:00:00.000Z', high: '2021-01-01T00:00:00.000Z' });
    expect(dateRange('2020-02')).toEqual({
      low: '2020-02-01T00:00:00.000Z',
      high: '2020-03-01T00:00:00.000Z',
    });
    expect(dateRange('2020-12-31')).toEqual({
      low: '2020-12-31T00:00:00.000Z',
      high: '2021-01-01T00:00:00.000Z',
    });
  });
  it('applies time zones and treats a missing zone as UTC', () => {
    expect(dateRange('2020-01-01T08:00:00+08:00')?.low).toBe('2020-01-01T00:00:00.000Z');
    expect(dateRange('2020-01-01T08:00:00')).toEqual({
      low: '2020-01-01T08:00:00.000Z',
      high: '2020-01-01T08:00:01.000Z',
    });
    expect(dateRange('2020-01-01T08:00Z')?.high).toBe('2020-01-01T08:01:00.000Z');
    expect(dateRange('2020-01-01T08:00:00.123Z')?.high).toBe('2020-01-01T08:00:00.124Z');
  });
  it('rejects impossible or malformed dates', () => {
    expect(dateRange('2021-02-30')).toBeUndefined();
    expect(dateRange('2021-13')).toBeUndefined();
    expect(dateRange('yesterday')).toBeUndefined();
  });
});
