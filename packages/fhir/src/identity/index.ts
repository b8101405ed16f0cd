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
