export * from './card/index.ts';
export {
  GOLDEN_TAG,
  goldenPatient,
  REGISTRY_LINK_EXTENSION,
  withGoldenLink,
  withoutRegistryLinks,
} from './golden/golden-patient.ts';
export { blockHash, blockingKeys } from './match/blocking.ts';
export { type Decision, decide, type PersonMatch, rankPersons } from './match/decide.ts';
export { type TrainingReport, trainModel } from './match/em.ts';
export {
  type ComparisonVector,
  compareRecords,
  FIELD_LEVELS,
  FIELDS,
  type FieldName,
} from './match/fields.ts';
export { DEFAULT_MODEL, isMatchModel, type MatchModel } from './match/model.ts';
export { type FieldEvidence, type PairScore, scorePair } from './match/score.ts';
export { createHanConverter, type HanConverter } from './normalize/han.ts';
export { HEALTH_CARD_SYSTEM, type MatchRecord, type RecordFlag, toMatchRecord } from './normalize/record.ts';
export { readResidentId, upgradeLegacyId } from './normalize/resident-id.ts';
export { type FindKind, type FoundRecord, queryAsPatient } from './registry/find.ts';
export {
  acceptReview,
  isPerson,
  type LinkEvent,
  linkHistory,
  listMerges,
  listReviews,
  type MergeRow,
  membersOf,
  mergePersons,
  personOf,
  type ReviewRow,
  rejectReview,
  resolvePerson,
  unmergePerson,
} from './registry/persons.ts';
export { personMembers, storedRecords } from './registry/queries.ts';
export {
  type DrainReport,
  type MatchCandidate,
  type MatchGrade,
  type RegistryOptions,
  ResidentRegistry,
} from './registry/registry.ts';
