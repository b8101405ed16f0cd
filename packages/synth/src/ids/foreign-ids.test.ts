import { isValidResidentId } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { NATIONALITIES } from '../data/nationalities.ts';
import { createRng } from '../random/prng.ts';
import { buildPermanentResidenceId, drawPassportNumber } from './foreign-ids.ts';

describe('foreign permanent residence ID numbers', () => {
  it('lay out 9 + province + ISO numeric nationality + birth date + sequence + MOD 11-2 check', () => {
    const id = buildPermanentResidenceId({
      nationalityNumeric: '840',
      birthDate: '1985-07-04',
      sex: 'female',
      sequence: 12,
    });
    expect(id).toHaveLength(18);
    expect(id.slice(0, 17)).toBe('93584019850704024');
    expect(isValidResidentId(id)).toBe(true);
    const male = buildPermanentResidenceId({
      nationalityNumeric: '840',
      birthDate: '1985-07-04',
      sex: 'male',
      sequence: 12,
    });
    expect(Number(male.charAt(16)) % 2).toBe(1);
    expect(isValidResidentId(male)).toBe(true);
    expect(() =>
      buildPermanentResidenceId({
        nationalityNumeric: 'US',
        birthDate: '1985-07-04',
        sex: 'male',
        sequence: 1,
      }),
    ).toThrow(RangeError);
  });
});

describe('passport numbers', () => {
  it('follow the template of every nationality', () => {
    const rng = createRng('passports');
    for (const n of NATIONALITIES) {
      const value = drawPassportNumber(rng, n.passport);
      expect(value, n.iso3).toHaveLength(n.passport.length);
      expect(value, n.iso3).toMatch(/^[A-Z0-9]+$/);
      [...n.passport].forEach((c, i) => {
        const v = value.charAt(i);
        if (c === '#') expect(v).toMatch(/\d/);
        else if (c === '@') expect(v).toMatch(/[A-Z]/);
        else if (c !== '*') expect(v).toBe(c);
      });
    }
  });
});
