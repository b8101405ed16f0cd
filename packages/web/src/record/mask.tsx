/**
 * Personal identifiers as the portal shows them until the user reveals them (PIPL: the minimum
 * needed): a resident ID number keeps its first 4 and last 4 characters (3502**********1234), a
 * mobile number its first 3 and last 4 (139****1234), anything else its last 4.
 */
export function maskIdNumber(value: string): string {
  const v = value.replace(/\s/g, '');
  if (v.length <= 8) return '*'.repeat(v.length);
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

export function maskPhone(value: string): string {
  const digits = value.replace(/[\s\-+]/g, '').replace(/^86(?=1\d{10}$)/, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}
