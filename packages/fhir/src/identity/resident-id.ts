/**
 * 公民身份号码 (citizen identity number), GB 11643-1999: 6-digit address code (GB/T 2260) + 8-digit
 * birth date YYYYMMDD + 3-digit sequence (odd for men, even for women) + check character computed
 * with ISO 7064:1983 MOD 11-2 (weights 2^(17-i) mod 11; remainder r maps to "10X98765432"[r]).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character (0–9 or X) for the first 17 digits. Throws RangeError if not 17 digits. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('first17 must be 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

function isValidDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1800 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** True when `id` is 17 digits + check character, has a real birth date and a matching check character. */
export function isValidResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  if (!isValidDate(id.slice(6, 14))) return false;
  return idCheckDigit(id.slice(0, 17)) === id.charAt(17);
}

/** Identifier system of 公民身份号码 used across the platform. */
export const RESIDENT_ID_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-resident-id';
