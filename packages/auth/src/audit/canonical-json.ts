/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them. Audit content holds
 * only strings, booleans, arrays and objects, so the same value read back from jsonb (which keeps
 * neither key order nor spacing) serialises to the same bytes.
 *
 * Built on the native JSON.stringify with a key-sorting replacer: it runs on every audited call,
 * and the native serialiser is several times faster than concatenating strings in script
 * (profiled: 1.6 s of the 2.5 s the audit path cost in a 6 s CRUD run).
 */
function sortKeys(this: unknown, _key: string, value: unknown): unknown {
  // JSON.stringify would write an undefined array element as null: refuse it, as JCS does.
  if (value === undefined && Array.isArray(this)) throw new TypeError('Value has no JSON form');
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('Non-finite number');
  if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError('Value has no JSON form');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(record).sort()) sorted[k] = record[k];
  return sorted;
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new TypeError('Value has no JSON form');
  if (typeof value === 'bigint') throw new TypeError('BigInt has no JSON form');
  const text = JSON.stringify(value, sortKeys);
  if (text === undefined) throw new TypeError('Value has no JSON form');
  return text;
}
