export {
  type AccessScope,
  accessPredicate,
  type BreakGlassGrant,
  BreakGlassStore,
  type RestrictedScope,
} from './access/index.ts';
export {
  type ExportScope,
  exportResources,
  inPatientCompartment,
  typesWithData,
} from './bulk/export-query.ts';
export {
  type ImportIssue,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
  importNdjson,
  type NdjsonSource,
} from './bulk/import-ndjson.ts';
export { paramKey } from './indexing/param-key.ts';
export { type Job, type JobStatus, JobStore } from './jobs/job-store.ts';
export { type Migration, migrateModule } from './migrations/index.ts';
export type * from './repository/port.ts';
export { asQueryable, type Database, type Queryable } from './sql/connect.ts';
export { openStore, type Store, type StoreOptions } from './store.ts';
