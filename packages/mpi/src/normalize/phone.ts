/**
 * Phone numbers compared as digits: the country code (+86, 0086, 86 before a mobile number)
 * dropped, a mainland mobile number kept as its 11 digits, a landline with its area code
 * (0592-5551234 → 05925551234). Numbers too short to identify anyone are discarded.
 */
export function normalisePhone(raw: string): string | null {
  let digits = raw.replace(/\D/g, '');
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  if (/^0\d{9,11}$/.test(digits)) return digits;
  if (digits.length >= 7 && !/^(\d)\1+$/.test(digits)) return digits;
  return null;
}
