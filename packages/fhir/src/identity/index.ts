export {
  buildHealthCard,
  HEALTH_CARD_SYSTEM,
  type HealthCardParts,
  healthCardParts,
  isValidHealthCard,
  luhnCheckDigit,
  MAX_HEALTH_CARD_SERIAL,
  normalizeHealthCard,
} from './health-card.ts';
export { idCheckDigit, isValidResidentId, RESIDENT_ID_SYSTEM } from './resident-id.ts';
export {
  FOREIGN_PERMANENT_RESIDENCE_SYSTEM,
  HK_MACAO_PERMIT_SYSTEM,
  isTravelDocumentSystem,
  PASSPORT_SYSTEM_PREFIX,
  passportSystem,
  TAIWAN_PERMIT_SYSTEM,
} from './travel-documents.ts';
