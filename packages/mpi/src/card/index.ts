export {
  HEALTH_CARD_ALG,
  HEALTH_CARD_TYP,
  type HealthCardClaims,
  type HealthCardInvalidReason,
  type HealthCardJwks,
  type HealthCardVerification,
  healthCardNameHash,
  normalizeNameText,
  type OfflineVerifyOptions,
  verifyHealthCardOffline,
} from './payload.ts';
export { type PersonDirectory, pgPersonDirectory } from './persons.ts';
export { migrateHealthCards } from './schema.ts';
export {
  type HealthCard,
  type HealthCardOptions,
  type HealthCardService,
  type HealthCardStatus,
  openHealthCards,
  parseCardNumber,
} from './service.ts';
