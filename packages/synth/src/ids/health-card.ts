/**
 * Resident health card number (居民健康卡号) — our own scheme, documented in the README:
 * 6-digit district code (GB/T 2260) + 2-digit issue year + 9-digit serial + 1 Luhn check digit
 * (ISO/IEC 7812-1 Annex B) = 18 digits. The Luhn digit catches every single-digit error and most
 * adjacent transpositions, which is what front-desk typing produces.
 */

export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function buildHealthCard(areaCode: string, issueYear: number, serial: number): string {
  const payload = `${areaCode}${String(issueYear % 100).padStart(2, '0')}${String(serial % 1e9).padStart(9, '0')}`;
  return payload + luhnCheckDigit(payload);
}

export function isValidHealthCard(card: string): boolean {
  return /^\d{18}$/.test(card) && luhnCheckDigit(card.slice(0, 17)) === card.charAt(17);
}
