/**
 * Value normalisation shared by extraction (index side) and parsing (query side), so both agree.
 */

const PRINTABLE_ASCII = /^[ -~]*$/;
const MESSY_SPACE = /^ | $| {2}/;

/**
 * Normalises text for the default string match and `:contains`: NFD, combining marks removed
 * (é → e), lower case, whitespace folded, trimmed. CJK characters are left as they are.
 * http://hl7.org/fhir/R4/search.html#string
 */
export function normalizeText(s: string): string {
  // Fast path for printable ASCII (most codes, Latin names): no marks to strip.
  if (PRINTABLE_ASCII.test(s)) {
    const lower = s.toLowerCase();
    return MESSY_SPACE.test(lower) ? lower.replace(/\s+/g, ' ').trim() : lower;
  }
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

export interface DecimalRange {
  readonly value: string;
  readonly low: string;
  readonly high: string;
}

/** Formats `digits × 10^exp` (digits may be negative) as a plain decimal string. */
function formatScaled(digits: bigint, exp: number): string {
  const negative = digits < 0n;
  let s = (negative ? -digits : digits).toString();
  let out: string;
  if (exp >= 0) out = s + '0'.repeat(exp);
  else {
    const scale = -exp;
    if (s.length <= scale) s = '0'.repeat(scale - s.length + 1) + s;
    out = `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`.replace(/\.?0+$/, '');
  }
  return negative && out !== '0' ? `-${out}` : out;
}

/**
 * Parses a FHIR decimal and its implicit precision range: `100` → [99.5, 100.5),
 * `100.00` → [99.995, 100.005), `1e2` → [95, 105) (as in the spec's table, see README).
 * http://hl7.org/fhir/R4/search.html#number — returns undefined when `raw` is not a decimal.
 */
export function decimalRange(raw: string): DecimalRange | undefined {
  const m = DECIMAL.exec(raw.trim());
  if (!m) return undefined;
  const [, sign = '', int = '', frac = '', expRaw] = m;
  const exp = (expRaw === undefined ? 0 : Number(expRaw)) - frac.length;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  const digits = BigInt(`${sign}${int}${frac}`);
  // Half a unit in the last significant place, expressed at one more decimal place. For the exponent
  // form we follow the spec's own example (`1e2` → [95, 105)): one more place than the mantissa shows.
  const extra = expRaw === undefined ? 1 : 2;
  const scaled = digits * 10n ** BigInt(extra);
  return {
    value: formatScaled(digits, exp),
    low: formatScaled(scaled - 5n, exp - extra),
    high: formatScaled(scaled + 5n, exp - extra),
  };
}

const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export interface InstantRange {
  readonly low: string;
  readonly high: string;
}

/**
 * The [low, high) instants covered by a FHIR date/dateTime/instant at its precision:
 * `2020` → [2020-01-01T00:00:00.000Z, 2021-01-01T00:00:00.000Z). A time without a zone is taken as UTC
 * (FHIR leaves it to the server; see README). Returns undefined for malformed or impossible dates.
 */
export function dateRange(raw: string): InstantRange | undefined {
  const m = DATE.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return undefined;
  const start = new Date(0);
  start.setUTCFullYear(year, month - 1, day);
  start.setUTCHours(hour, minute, second, ms);
  if (start.getUTCDate() !== day) return undefined; // e.g. 2021-02-30
  const offsetMinutes = tz === undefined || tz === 'Z' ? 0 : tzMinutes(tz);
  const low = start.getTime() - offsetMinutes * 60_000;
  const end = new Date(low);
  if (mo === undefined) end.setUTCFullYear(year + 1);
  else if (d === undefined) end.setUTCMonth(month);
  else if (h === undefined) end.setUTCDate(day + 1);
  else if (s === undefined) end.setUTCMinutes(end.getUTCMinutes() + 1);
  else if (frac === undefined) end.setUTCSeconds(end.getUTCSeconds() + 1);
  else end.setUTCMilliseconds(end.getUTCMilliseconds() + 1);
  return { low: new Date(low).toISOString(), high: end.toISOString() };
}

function tzMinutes(tz: string): number {
  const sign = tz.startsWith('-') ? -1 : 1;
  return sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6)));
}
