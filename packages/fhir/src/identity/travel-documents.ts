/**
 * Identity documents of residents who hold no 居民身份证: foreigners and residents of Hong Kong, Macao
 * and Taiwan. Each is one identifier system; the matcher compares them as exact document numbers.
 */

/**
 * 外国人永久居留身份证 (foreigner's permanent residence ID card), 2023 format: 18 characters laid out
 * like GB 11643 ("9" + 2-digit province + 3-digit ISO 3166-1 numeric nationality, birth date
 * YYYYMMDD, 3-digit sequence, MOD 11-2 check character), so it is read as an identity number.
 */
export const FOREIGN_PERMANENT_RESIDENCE_SYSTEM =
  'https://yiyun.dev/fhir/sid/cn-foreign-permanent-residence-id';

/** Passports: FHIR's naming convention `http://hl7.org/fhir/sid/passport-<ISO 3166-1 alpha-3>`. */
export const PASSPORT_SYSTEM_PREFIX = 'http://hl7.org/fhir/sid/passport-';

/** 港澳居民来往内地通行证 and 台湾居民来往大陆通行证 (mainland travel permits). */
export const HK_MACAO_PERMIT_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-hk-macao-travel-permit';
export const TAIWAN_PERMIT_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-taiwan-travel-permit';

/** The passport identifier system for a nationality (ISO 3166-1 alpha-3, e.g. "USA"). */
export function passportSystem(nationality: string): string {
  if (!/^[A-Z]{3}$/.test(nationality)) throw new RangeError('nationality must be ISO 3166-1 alpha-3');
  return PASSPORT_SYSTEM_PREFIX + nationality;
}

/** True for the identifier systems of travel documents (passports and permits). */
export function isTravelDocumentSystem(system: string | undefined): boolean {
  return (
    !!system &&
    (system.startsWith(PASSPORT_SYSTEM_PREFIX) ||
      system === HK_MACAO_PERMIT_SYSTEM ||
      system === TAIWAN_PERMIT_SYSTEM)
  );
}
