import { AppError } from '@yiyun/fhir';

/**
 * Parsing of C-FIND / QIDO-RS matching values (PS3.4 §C.2.2.2, PS3.18 §8.3.4.1) into what SQL
 * compares: inclusive bounds for date, time and datetime ranges, LIKE patterns for wildcards,
 * value lists for UIDs. Pure; every malformed value is AppError('invalid') naming the attribute.
 */

export interface Bounds {
  /** Inclusive lower bound (ISO `YYYY-MM-DD`, `HH:MM:SS.ffffff` or `YYYY-MM-DD HH:MM:SS.ffffff`). */
  readonly low?: string;
  /** Inclusive upper bound in the same form. */
  readonly high?: string;
}

function invalid(tag: string, value: string, why: string): AppError {
  return new AppError(
    'invalid',
    `Invalid matching value for (${tag.slice(0, 4)},${tag.slice(4)}): '${value}' ${why}`,
  );
}

const DATE = /^(\d{4})(\d{2})?(\d{2})?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A DA value, possibly partial (`2024`, `202403`), as its first or last day. */
function dateBound(tag: string, text: string, end: 'low' | 'high'): string {
  const m = DATE.exec(text);
  if (!m) throw invalid(tag, text, 'is not a DICOM date (YYYYMMDD)');
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : end === 'low' ? 1 : 12;
  if (month < 1 || month > 12 || year < 1) throw invalid(tag, text, 'is not a valid date');
  const maxDay = daysIn(year, month);
  const day = m[3] ? Number(m[3]) : end === 'low' ? 1 : maxDay;
  if (day < 1 || day > maxDay) throw invalid(tag, text, 'is not a valid date');
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const TIME = /^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$/;

/** A TM value, possibly partial (`10`, `1030`) or with legacy colons, as its first or last microsecond. */
function timeBound(tag: string, raw: string, end: 'low' | 'high'): string {
  const text = raw.replaceAll(':', '');
  const m = TIME.exec(text);
  if (!m || (m[4] && !m[3])) throw invalid(tag, raw, 'is not a DICOM time (HHMMSS.FFFFFF)');
  const fill: readonly [string, string, string] =
    end === 'low' ? ['00', '00', '000000'] : ['59', '59', '999999'];
  const hh = Number(m[1]);
  const mm = m[2] ?? fill[0];
  const ss = m[3] ?? fill[1];
  if (hh > 23 || Number(mm) > 59 || Number(ss) > 60) throw invalid(tag, raw, 'is not a valid time');
  const frac = m[4] ? m[4].padEnd(6, end === 'low' ? '0' : '9') : fill[2];
  return `${m[1]}:${mm}:${ss === '60' ? '59' : ss}.${frac}`;
}

const DATETIME = /^(\d{4}(?:\d{2}(?:\d{2})?)?)(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?([+-]\d{4})?$/;

/**
 * A DT value (PS3.5 §6.2: YYYYMMDDHHMMSS.FFFFFF&ZZXX, any trailing part omitted) as a bound. The
 * UTC offset is accepted and ignored: the index keeps DT values as written (local time).
 */
function dateTimeBound(tag: string, text: string, end: 'low' | 'high'): string {
  const m = DATETIME.exec(text);
  if (!m) throw invalid(tag, text, 'is not a DICOM datetime (YYYYMMDDHHMMSS.FFFFFF&ZZXX)');
  const date = dateBound(tag, m[1] as string, end);
  const time = m[2] ? timeBound(tag, m[2], end) : end === 'low' ? '00:00:00.000000' : '23:59:59.999999';
  return `${date} ${time}`;
}

function isDateTime(text: string): boolean {
  return DATETIME.test(text);
}

/** Splits `a-b`, `-b`, `a-` into its ends; a value without `-` is a single value (both ends). */
function rangeParts(value: string): [string, string] {
  const dash = value.indexOf('-');
  if (dash < 0) return [value, value];
  if (value.indexOf('-', dash + 1) >= 0) throw new Error('two dashes');
  return [value.slice(0, dash), value.slice(dash + 1)];
}

type Kind = 'date' | 'time';

/** A DA or TM matching value: single value (the whole period it names) or range (PS3.4 §C.2.2.2.5). */
export function parseRange(tag: string, value: string, kind: Kind): Bounds {
  const bound = kind === 'date' ? dateBound : timeBound;
  let parts: [string, string];
  try {
    parts = rangeParts(value.trim());
  } catch {
    throw invalid(tag, value, 'is not a single value or a range');
  }
  const [lo, hi] = parts;
  if (lo === '' && hi === '') throw invalid(tag, value, 'is an empty range');
  const low = lo === '' ? undefined : bound(tag, lo, 'low');
  const high = hi === '' ? undefined : bound(tag, hi, 'high');
  if (low !== undefined && high !== undefined && low > high)
    throw invalid(tag, value, 'ends before it starts');
  return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
}

/**
 * A DT matching value. `-` also signs a UTC offset (`20240101120000-0500`), so a value that is one
 * valid DT is a single value; otherwise it must split at one dash into two DTs (either may be empty).
 */
export function parseDateTimeRange(tag: string, value: string): Bounds {
  const text = value.trim();
  if (isDateTime(text))
    return { low: dateTimeBound(tag, text, 'low'), high: dateTimeBound(tag, text, 'high') };
  for (let i = text.indexOf('-'); i >= 0; i = text.indexOf('-', i + 1)) {
    const lo = text.slice(0, i);
    const hi = text.slice(i + 1);
    if ((lo === '' || isDateTime(lo)) && (hi === '' || isDateTime(hi)) && (lo !== '' || hi !== '')) {
      const low = lo === '' ? undefined : dateTimeBound(tag, lo, 'low');
      const high = hi === '' ? undefined : dateTimeBound(tag, hi, 'high');
      if (low !== undefined && high !== undefined && low > high)
        throw invalid(tag, value, 'ends before it starts');
      return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
    }
  }
  throw invalid(tag, value, 'is not a DICOM datetime or datetime range');
}

export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/** A value matching everything (PS3.4 §C.2.2.2.3 universal matching: empty, or only `*`). */
export function isUniversal(value: string): boolean {
  return value === '' || /^\*+$/.test(value);
}

export interface LikePattern {
  /** The LIKE pattern (escape character `\`). */
  readonly pattern: string;
  /** The literal text before the first wildcard: bounds an index range scan (`col >= prefix`). */
  readonly prefix: string;
  /** The least string greater than every string starting with `prefix` (byte order), if any. */
  readonly upper?: string;
}

/** `*` → `%`, `?` → `_`, other LIKE metacharacters escaped (PS3.4 §C.2.2.2.4 wildcard matching). */
export function likePattern(value: string): LikePattern {
  let pattern = '';
  let prefix = '';
  let literal = true;
  for (const ch of value) {
    if (ch === '*' || ch === '?') {
      literal = false;
      pattern += ch === '*' ? '%' : '_';
      continue;
    }
    pattern += ch === '%' || ch === '_' || ch === '\\' ? `\\${ch}` : ch;
    if (literal) prefix += ch;
  }
  const upper = successor(prefix);
  return { pattern, prefix, ...(upper !== undefined ? { upper } : {}) };
}

/** `abc` → `abd` (by code point, which is UTF-8 byte order under collation "C"). */
function successor(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = (points.pop() as string).codePointAt(0) as number;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** A UID list (PS3.4 §C.2.2.2.2; PS3.18 §8.3.4.1 allows `,` as well as `\`), each UID checked. */
export function parseUidList(tag: string, value: string): string[] {
  const uids = value
    .split(/[\\,]/)
    .map((u) => u.trim())
    .filter((u) => u !== '');
  for (const uid of uids) {
    if (uid.length > 64 || !/^[0-9]+(\.[0-9]+)*$/.test(uid)) throw invalid(tag, value, 'is not a UID list');
  }
  if (uids.length === 0) throw invalid(tag, value, 'is not a UID list');
  return uids;
}

/** An IS (integer string) matching value. */
export function parseInteger(tag: string, value: string): number {
  const text = value.trim();
  if (!/^[+-]?\d{1,10}$/.test(text)) throw invalid(tag, value, 'is not an integer');
  const n = Number(text);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 31 - 1) throw invalid(tag, value, 'is out of range');
  return n;
}
