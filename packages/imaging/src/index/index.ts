/** The DICOM index: tables, upsert, QIDO-RS / C-FIND matching, locate, tele-consultation shares. */
export { type Located, locateInstances } from './locate.ts';
export { IMAGING_MIGRATIONS } from './migrations.ts';
export { DEFAULT_LIMIT, MAX_LIMIT } from './query/compile.ts';
export { MATCH_KEYS } from './query/keys.ts';
export { type QueryAnswer, queryIndex } from './query/run.ts';
export { STUDY_SOURCE, type Viewer, visibility } from './query/visibility.ts';
export { type IndexRecord, indexRecord } from './record.ts';
export { revokeShare, type ShareGrant, type ShareRevocation, shareStudy } from './share.ts';
export { type KnownInstance, readStoreStates, type StoreState } from './store-state.ts';
export {
  type IndexedObject,
  readStudyState,
  type StudyState,
  type UpsertInput,
  type UpsertResult,
  upsertInstance,
} from './upsert.ts';
