/**
 * 居民健康卡号 (resident health card number) — the platform's own scheme (docs/health-card.md):
 * 6-digit area code (GB/T 2260 district) + 2-digit issue year + 9-digit serial + 1 Luhn check digit
 * (ISO/IEC 7812-1:2017 Annex B) = 18 digits. The Luhn digit catches every single-digit error and
 * every adjacent transposition except 09↔90, which is what front-desk typing produces.
 */

/** Identifier system of the health card number used across the platform. */
export const HEALTH_CARD_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-health-card';

/** The highest serial a number can carry (nine digits). */
export const MAX_HEALTH_CARD_SERIAL = 999_999_999;

/** The Luhn check digit of a string of digits. Throws RangeError for anything else. */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new RangeError('payload must be digits');
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Double every second digit from the right, starting with the one next to the check digit.
    let d = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * The 18-digit number for `serial` issued in `issueYear` (only its last two digits are kept) in
 * `areaCode`. Throws RangeError on a malformed area code, year or serial.
 */
export function buildHealthCard(areaCode: string, issueYear: number, serial: number): string {
  if (!/^\d{6}$/.test(areaCode)) throw new RangeError('areaCode must be 6 digits');
  if (!Number.isInteger(issueYear) || issueYear < 0) throw new RangeError('issueYear must be a year');
  if (!Number.isInteger(serial) || serial < 0 || serial > MAX_HEALTH_CARD_SERIAL)
    throw new RangeError('serial must be an integer from 0 to 999999999');
  const payload = `${areaCode}${String(issueYear % 100).padStart(2, '0')}${String(serial).padStart(9, '0')}`;
  return payload + luhnCheckDigit(payload);
}

/** True when `card` is 18 digits whose last is the Luhn check digit of the first 17. */
export function isValidHealthCard(card: string): boolean {
  return /^\d{18}$/.test(card) && luhnCheckDigit(card.slice(0, 17)) === card.charAt(17);
}

/** A number as typed or printed (`3502 1121 0001 2345 67`, with hyphens …): digits only. */
export function normalizeHealthCard(input: string): string {
  return input.replace(/[\s\-\u00a0\u3000]/g, '');
}

export interface HealthCardParts {
  readonly areaCode: string;
  /** Two digits. */
  readonly issueYear: string;
  readonly serial: number;
}

/** The parts of a valid number, or undefined when the number is not valid. */
export function healthCardParts(card: string): HealthCardParts | undefined {
  if (!isValidHealthCard(card)) return undefined;
  return { areaCode: card.slice(0, 6), issueYear: card.slice(6, 8), serial: Number(card.slice(8, 17)) };
}
