/**
 * Keeps personal identifiers out of audit events (issue #4: "ID numbers and phone numbers never
 * appear in logs"). Events carry references only; free text that slips through is scrubbed here.
 */

const MASK = '***';

/**
 * Resident ID numbers (居民身份证号, GB 11643: 17 digits + check digit or X; the old 15-digit form)
 * and phone numbers (mainland mobile 1[3-9]xxxxxxxxx with optional +86, landline 0xx(x)-xxxxxxx(x)).
 * Digit runs are matched whole so that longer numbers (timestamps, sequence numbers) stay intact.
 */
const PATTERNS: readonly RegExp[] = [
  /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g,
  /(?<![0-9])[0-9]{15}(?![0-9])/g,
  /(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9])/g,
  /(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])/g,
];

/** The text with ID numbers and phone numbers replaced by `***`. */
export function scrubText(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) out = out.replace(pattern, MASK);
  return out;
}

export function containsIdentifier(text: string): boolean {
  return PATTERNS.some((p) => {
    p.lastIndex = 0;
    const hit = p.test(text);
    p.lastIndex = 0;
    return hit;
  });
}

/** Search parameters whose values identify a person: their values are never recorded. */
const IDENTIFYING = new Set([
  'name',
  'family',
  'given',
  'phonetic',
  'identifier',
  'telecom',
  'phone',
  'email',
  'address',
  'birthdate',
  '_content',
  '_text',
]);

function isIdentifying(key: string): boolean {
  // `subject:Patient.name:exact`, `_has:Observation:patient:identifier` → the last parameter name.
  const last = key.split(/[.:]/).filter((part) => !/^[A-Z]/.test(part) && part !== '_has');
  const names = last.length > 0 ? last : [key];
  return names.some((n) => IDENTIFYING.has(n) || n.startsWith('address-'));
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * A search query string with the values of identifying parameters (name, identifier, telecom …)
 * and any value holding an ID or phone number replaced by `***`; names of parameters stay, so the
 * shape of what was asked is kept (BALP records the query as asked).
 */
export function redactQuery(query: string): string {
  const lead = query.startsWith('?') ? '?' : '';
  const body = lead ? query.slice(1) : query;
  if (body === '') return query;
  return (
    lead +
    body
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return containsIdentifier(decode(pair)) ? MASK : pair;
        const key = pair.slice(0, eq);
        const value = pair.slice(eq + 1);
        const decodedKey = decode(key);
        if (isIdentifying(decodedKey) || containsIdentifier(decode(value))) return `${key}=${MASK}`;
        return pair;
      })
      .join('&')
  );
}
