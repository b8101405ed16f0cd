/**
 * Identity documents of foreign residents: passport numbers (per-country shapes, see
 * `data/nationalities.ts`) and the 外国人永久居留身份证 number (2023 format): "9" + 2-digit province
 * code + 3-digit ISO 3166-1 numeric nationality + birth date YYYYMMDD + 3-digit sequence (odd for
 * men, even for women) + the GB 11643 MOD 11-2 check character, so it validates like a resident ID.
 */
import { idCheckDigit } from '@yiyun/fhir';
import type { Rng } from '../random/prng.ts';

/** Fujian's province code, the first two digits of every Xiamen area code. */
export const FUJIAN_PROVINCE_CODE = '35';

const LETTERS = [...'ABCDEFGHJKLMNPRSTUVWXYZ']; // I and O left out, as most issuers avoid them
const ALNUM = [...LETTERS, ...'0123456789'];

/** A document number from a template: `#` digit, `@` letter, `*` letter or digit, others literal. */
export function drawPassportNumber(rng: Rng, template: string): string {
  let out = '';
  for (const c of template) {
    if (c === '#') out += String(rng.int(0, 9));
    else if (c === '@') out += rng.pick(LETTERS);
    else if (c === '*') out += rng.pick(ALNUM);
    else out += c;
  }
  return out;
}

/** `sequence` 0–499 picks the n-th odd (male) or even (female) 3-digit sequence, as for resident IDs. */
export function buildPermanentResidenceId(opts: {
  nationalityNumeric: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'male' | 'female';
  sequence: number;
}): string {
  if (!/^\d{3}$/.test(opts.nationalityNumeric))
    throw new RangeError('nationality must be ISO 3166-1 numeric');
  const seq = (opts.sequence % 500) * 2 + (opts.sex === 'male' ? 1 : 0);
  const first17 = `9${FUJIAN_PROVINCE_CODE}${opts.nationalityNumeric}${opts.birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}
