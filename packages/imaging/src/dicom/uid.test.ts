import { describe, expect, it } from 'vitest';
import { isValidUid, uidProblem } from './uid.ts';

describe('isValidUid (PS3.5 §9.1)', () => {
  it('accepts well-formed UIDs, including a single 0 component and 64 characters', () => {
    for (const uid of ['1.2.840.10008.1.2.1', '2.25.0', '1.0.2', `1.${'2'.repeat(62)}`])
      expect(isValidUid(uid)).toBe(true);
  });

  it('refuses leading zeros, empty components, other characters and over 64 characters', () => {
    const bad = ['1.02.3', '1..2', '.1.2', '1.2.', '1.2.a', '1.2 ', '', `1.${'2'.repeat(63)}`];
    for (const uid of bad) {
      expect(isValidUid(uid)).toBe(false);
      expect(uidProblem(uid)).toBeTruthy();
    }
    expect(uidProblem('1.2.840')).toBeUndefined();
  });
});
