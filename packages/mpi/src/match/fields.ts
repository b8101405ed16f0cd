import { gramSimilarity } from '../normalize/address.ts';
import type { MatchRecord } from '../normalize/record.ts';
import { jaroWinkler } from './jaro-winkler.ts';

/**
 * The compared fields and their agreement levels, strongest first. Each pair of records gets one
 * level per field, or none when either side lacks the field (a missing value is no evidence).
 */
export const FIELD_LEVELS = {
  residentId: ['exact', 'one-digit', 'different'],
  healthCard: ['exact', 'different'],
  document: ['exact', 'different'],
  name: ['same-characters', 'same-pinyin', 'similar', 'same-surname', 'different'],
  birthDate: ['exact', 'day-month-swapped', 'one-part-differs', 'same-year', 'different'],
  gender: ['same', 'different'],
  phone: ['same', 'different'],
  address: ['similar', 'same-district', 'different'],
} as const;

export type FieldName = keyof typeof FIELD_LEVELS;
export const FIELDS = Object.keys(FIELD_LEVELS) as FieldName[];
export type Level<F extends FieldName> = (typeof FIELD_LEVELS)[F][number];

/** Level index per field (position in FIELD_LEVELS[field]); -1 = missing on either side. */
export type ComparisonVector = Record<FieldName, number>;

function intersects(a: readonly string[], b: readonly string[]): boolean {
  for (const x of a) if (b.includes(x)) return true;
  return false;
}

/** Damerau distance ≤ 1 for equal-length strings: one substitution or one adjacent transposition. */
function oneEditApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diffs: number[] = [];
  for (let i = 0; i < a.length && diffs.length <= 2; i++) if (a[i] !== b[i]) diffs.push(i);
  if (diffs.length === 1) return true;
  const [i, j] = diffs;
  return diffs.length === 2 && j === i! + 1 && a[i!] === b[j] && a[j] === b[i!];
}

function compareId(a: MatchRecord, b: MatchRecord): number {
  if (!a.residentId || !b.residentId) return -1;
  if (a.residentId === b.residentId) return a.idValid && b.idValid ? 0 : 1; // an invalid number is weak
  return oneEditApart(a.residentId, b.residentId) ? 1 : 2;
}

function compareName(a: MatchRecord, b: MatchRecord): number {
  const x = a.name;
  const y = b.name;
  if (!x || !y) return -1;
  if (x.han.length && y.han.length && intersects(x.han, y.han)) return 0;
  if (intersects(x.forms, y.forms)) return 1;
  let best = 0;
  for (const f of x.forms) for (const g of y.forms) best = Math.max(best, jaroWinkler(f, g));
  const hanClose = x.han.some((h) =>
    y.han.some((k) => h.length === k.length && h[0] === k[0] && oneEditApart(h, k)),
  );
  if (best >= 0.92 || hanClose) return 2;
  if (intersects(x.family, y.family)) return 3;
  return 4;
}

function compareBirthDate(a: MatchRecord, b: MatchRecord): number {
  if (a.birthDate && b.birthDate) {
    if (a.birthDate === b.birthDate) return 0;
    const [y1, m1, d1] = a.birthDate.split('-');
    const [y2, m2, d2] = b.birthDate.split('-');
    if (y1 === y2 && m1 === d2 && d1 === m2) return 1;
    const same = Number(y1 === y2) + Number(m1 === m2) + Number(d1 === d2);
    if (same === 2) return 2;
    return y1 === y2 ? 3 : 4;
  }
  if (a.birthYear && b.birthYear) return a.birthYear === b.birthYear ? 3 : 4;
  return -1;
}

function compareAddress(a: MatchRecord, b: MatchRecord): number {
  if (!a.address || !b.address) return -1;
  if (gramSimilarity(a.address.grams, b.address.grams) >= 0.5) return 0;
  if (a.address.district && a.address.district === b.address.district) return 1;
  return 2;
}

/** Records normalised before travel documents were read carry none (features are stored as JSON). */
function compareDocuments(a: MatchRecord, b: MatchRecord): number {
  const x = a.documents ?? [];
  const y = b.documents ?? [];
  if (!x.length || !y.length) return -1;
  return intersects(x, y) ? 0 : 1;
}

const same = (x: unknown, y: unknown) => (x === null || y === null ? -1 : x === y ? 0 : 1);

export function compareRecords(a: MatchRecord, b: MatchRecord): ComparisonVector {
  return {
    residentId: compareId(a, b),
    healthCard: same(a.healthCard, b.healthCard),
    document: compareDocuments(a, b),
    name: compareName(a, b),
    birthDate: compareBirthDate(a, b),
    gender: same(a.gender, b.gender),
    phone: a.phones.length && b.phones.length ? (intersects(a.phones, b.phones) ? 0 : 1) : -1,
    address: compareAddress(a, b),
  };
}

/**
 * The deterministic short-cut: the same valid ID number, and neither record's birth date or sex
 * contradicts it (a parent's number copied onto a child's record fails the birth-date check).
 */
export function isCertainMatch(a: MatchRecord, b: MatchRecord, v: ComparisonVector): boolean {
  if (v.residentId !== 0) return false;
  const consistent = (r: MatchRecord) =>
    !r.flags.includes('id-birth-date-mismatch') && !r.flags.includes('id-gender-mismatch');
  return consistent(a) && consistent(b) && v.birthDate !== 4 && v.gender !== 1;
}

/** A value for every field. */
export function perField<T>(fn: (field: FieldName) => T): Record<FieldName, T> {
  return Object.fromEntries(FIELDS.map((f) => [f, fn(f)])) as Record<FieldName, T>;
}
