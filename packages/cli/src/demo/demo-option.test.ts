import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseDemoResidents } from './demo-option.ts';

describe('parseDemoResidents', () => {
  it('accepts whole numbers, 0 meaning no demo region', () => {
    expect(parseDemoResidents('0')).toBe(0);
    expect(parseDemoResidents('150')).toBe(150);
    expect(parseDemoResidents('10000000')).toBe(10_000_000);
  });

  it('refuses negative, fractional, non-numeric and too large values', () => {
    for (const bad of ['-1', 'abc', '1.5', '', '1e3', '10000001'])
      expect(() => parseDemoResidents(bad), bad).toThrow(InvalidArgumentError);
  });
});
