import { XIAMEN_DISTRICTS } from '../data/districts.ts';
import { HOMOPHONES } from '../data/given-names.ts';
import type { CitizenDemographics, Demographics } from '../population/demographics.ts';
import { drawMobile } from '../population/people.ts';
import type { Rng } from '../random/prng.ts';
import { applyLatinError, type LatinError } from './latin-errors.ts';

/** Errors in names written in characters and pinyin (Chinese residents only). */
type ChineseNameError = 'homophone-name' | 'typo-name' | 'pinyin-variant';

/**
 * The demographic errors a duplicate registration may carry (ground truth lists them per record).
 * `missing-id` and `typo-id` concern the identity number: the 居民身份证 of Chinese residents, the
 * permanent residence ID of foreigners.
 */
export type DemographicError =
  | ChineseNameError
  | LatinError
  | 'swapped-day-month'
  | 'typo-birth-date'
  | 'missing-id'
  | 'typo-id'
  | 'changed-phone'
  | 'missing-phone'
  | 'moved-address';

const SIMILAR_CHARS = [...'伟玮芳方丽莉静婧明铭军君涛杰娜敏林华英红磊勇平刚燕霞辉斌鹏超浩宇涵轩欣怡'];

function replaceChar(text: string, index: number, ch: string): string {
  const chars = [...text];
  chars[index] = ch;
  return chars.join('');
}

function homophone(rng: Rng, d: CitizenDemographics): boolean {
  const chars = [...d.given];
  const candidates = chars
    .map((c, i) => [i, HOMOPHONES[c]] as const)
    .filter(([, h]) => h !== undefined && h !== '');
  if (candidates.length === 0) {
    const h = HOMOPHONES[d.family];
    if (!h) return false;
    d.family = h; // pinyin deliberately unchanged: the clerk heard the same syllable
    return true;
  }
  const [i, h] = rng.pick(candidates);
  d.given = replaceChar(d.given, i, h ?? '');
  return true;
}

function pinyinVariant(rng: Rng, d: CitizenDemographics): void {
  const variant = rng.int(0, 3);
  if (variant === 0) {
    d.familyPinyin = d.familyPinyin.toUpperCase();
    d.givenPinyin = d.givenPinyin.toUpperCase();
  } else if (variant === 1) {
    [d.familyPinyin, d.givenPinyin] = [d.givenPinyin, d.familyPinyin]; // Western order
  } else if (variant === 2 && /ü/.test(d.familyPinyin + d.givenPinyin)) {
    d.familyPinyin = d.familyPinyin.replaceAll('ü', 'v');
    d.givenPinyin = d.givenPinyin.replaceAll('ü', 'v');
  } else {
    d.givenPinyin = d.givenPinyin.toLowerCase();
    d.familyPinyin = d.familyPinyin.toLowerCase();
  }
}

function birthDateError(rng: Rng, d: Demographics): DemographicError {
  const [y, m, day] = d.birthDate.split('-');
  if (y && m && day && Number(day) <= 12 && day !== m) {
    d.birthDate = `${y}-${day}-${m}`;
    return 'swapped-day-month';
  }
  const shifted = Math.max(1, Math.min(28, Number(day) + (rng.chance(0.5) ? 1 : -1)));
  d.birthDate = `${y}-${m}-${String(shifted).padStart(2, '0')}`;
  return 'typo-birth-date';
}

function applyChinese(
  rng: Rng,
  d: CitizenDemographics,
  error: ChineseNameError,
): DemographicError | undefined {
  switch (error) {
    case 'homophone-name':
      return homophone(rng, d) ? error : undefined;
    case 'typo-name': {
      const chars = [...d.given];
      const i = rng.int(0, chars.length - 1);
      const ch = rng.pick(SIMILAR_CHARS.filter((c) => c !== chars[i]));
      d.given = replaceChar(d.given, i, ch);
      return error;
    }
    case 'pinyin-variant':
      pinyinVariant(rng, d);
      return error;
  }
}

function identityNumber(d: Demographics): string | undefined {
  return d.kind === 'citizen' ? d.residentId : d.permanentResidenceId;
}

function setIdentityNumber(d: Demographics, value: string | undefined): void {
  if (d.kind === 'citizen') d.residentId = value;
  else d.permanentResidenceId = value;
}

function apply(rng: Rng, d: Demographics, error: DemographicError): DemographicError | undefined {
  switch (error) {
    case 'homophone-name':
    case 'typo-name':
    case 'pinyin-variant':
      return d.kind === 'citizen' ? applyChinese(rng, d, error) : undefined;
    case 'swapped-family-given':
    case 'upper-case-name':
    case 'dropped-middle-name':
    case 'middle-initial':
    case 'stripped-diacritics':
    case 'hyphen-variant':
    case 'typo-latin-name':
    case 'renewed-passport':
    case 'missing-passport':
      return d.kind === 'foreign' ? applyLatinError(rng, d, error) : undefined;
    case 'swapped-day-month':
    case 'typo-birth-date':
      return birthDateError(rng, d);
    case 'missing-id':
      if (d.kind === 'foreign' && !d.permanentResidenceId && !d.healthCard) return undefined;
      setIdentityNumber(d, undefined);
      d.healthCard = undefined;
      return error;
    case 'typo-id': {
      const id = identityNumber(d);
      if (!id) return undefined;
      const i = rng.int(6, 15); // transpose two adjacent digits of the birth date or sequence
      if (id[i] === id[i + 1]) return undefined;
      setIdentityNumber(d, id.slice(0, i) + id.charAt(i + 1) + id.charAt(i) + id.slice(i + 2));
      return error;
    }
    case 'changed-phone':
      d.phone = drawMobile(rng);
      return error;
    case 'missing-phone':
      d.phone = undefined;
      return error;
    case 'moved-address': {
      d.district = rng.pick(XIAMEN_DISTRICTS);
      const sub = rng.pick(d.district.subdistricts);
      d.subdistrict = sub.name;
      d.community = `${d.community.slice(0, 1)}${rng.pick([...'新华安和兴'])}${sub.rural ? '村' : '社区'}`;
      d.dwelling = `${rng.int(1, 60)}号楼${rng.int(1, 20)}0${rng.int(1, 4)}室`;
      return error;
    }
  }
}

/** Chinese residents: repeats make an error commoner. */
const ERROR_WEIGHTS: readonly DemographicError[] = [
  'homophone-name',
  'homophone-name',
  'typo-name',
  'pinyin-variant',
  'pinyin-variant',
  'swapped-day-month',
  'missing-id',
  'missing-id',
  'typo-id',
  'changed-phone',
  'changed-phone',
  'missing-phone',
  'moved-address',
];

/**
 * Foreign residents: name-order, capitalisation and diacritic slips dominate; day and month swapped
 * more often (passports and forms from countries that write month first); passports renewed.
 */
const FOREIGN_ERROR_WEIGHTS: readonly DemographicError[] = [
  'swapped-family-given',
  'swapped-family-given',
  'upper-case-name',
  'upper-case-name',
  'dropped-middle-name',
  'middle-initial',
  'stripped-diacritics',
  'stripped-diacritics',
  'hyphen-variant',
  'typo-latin-name',
  'typo-latin-name',
  'renewed-passport',
  'renewed-passport',
  'missing-passport',
  'swapped-day-month',
  'swapped-day-month',
  'missing-id',
  'typo-id',
  'changed-phone',
  'missing-phone',
  'moved-address',
];

/** Errors on one field: a record gets at most one of each group, so every recorded error shows. */
const EXCLUSIVE: readonly (readonly DemographicError[])[] = [
  ['swapped-day-month', 'typo-birth-date'],
  ['missing-id', 'typo-id'],
  ['changed-phone', 'missing-phone'],
  ['dropped-middle-name', 'middle-initial'],
  ['renewed-passport', 'missing-passport'],
];

function sameKind(a: DemographicError, b: DemographicError): boolean {
  return a === b || EXCLUSIVE.some((group) => group.includes(a) && group.includes(b));
}

/** Copies demographics with 0–3 realistic registration errors; returns the copy and the errors made. */
export function corruptDemographics(
  rng: Rng,
  original: Demographics,
): { demo: Demographics; errors: DemographicError[] } {
  const demo = { ...original };
  const n = rng.chance(0.12) ? 0 : rng.int(1, 3);
  const errors: DemographicError[] = [];
  const weights = demo.kind === 'foreign' ? FOREIGN_ERROR_WEIGHTS : ERROR_WEIGHTS;
  for (let k = 0; k < n; k++) {
    const error = rng.pick(weights);
    // Never the same kind twice: a second swap of day and month (or of family and given name) would
    // undo the first, a missing number hides a mistyped one, and the record would list an error it
    // does not show.
    if (errors.some((e) => sameKind(e, error))) continue;
    const made = apply(rng, demo, error);
    if (made && !errors.includes(made)) errors.push(made);
  }
  return { demo, errors };
}
