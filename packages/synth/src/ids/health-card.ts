/**
 * Resident health card number (居民健康卡号): the scheme lives in `@yiyun/fhir` (docs/health-card.md).
 * The generator draws serials from a wide ordinal space, so they are folded into nine digits here.
 */
import { buildHealthCard as buildStrict, MAX_HEALTH_CARD_SERIAL } from '@yiyun/fhir';

export { HEALTH_CARD_SYSTEM, isValidHealthCard, luhnCheckDigit } from '@yiyun/fhir';

export function buildHealthCard(areaCode: string, issueYear: number, serial: number): string {
  return buildStrict(areaCode, issueYear, serial % (MAX_HEALTH_CARD_SERIAL + 1));
}
