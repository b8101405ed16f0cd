export { type AuditLog, type AuditLogger, type AuditLogOptions, openAuditLog } from './audit-log.ts';
export { type AuditSource, toAuditEvent } from './balp.ts';
export { KIND_CODES, OUTCOME_CODES } from './codes.ts';
export { HASH_ALGORITHMS, type HashAlgorithm, isHashAlgorithm } from './hashing.ts';
export { type AuditPage, type AuditQuery, auditEventId, seqOfAuditEventId } from './query.ts';
export {
  AUDIT_KINDS,
  AUDIT_OUTCOMES,
  type AuditAgent,
  type AuditEntity,
  type AuditKind,
  type AuditOutcome,
  type AuditRecord,
} from './record.ts';
export { redactQuery, scrubText } from './redact.ts';
export { AUDIT_MIGRATIONS, migrateAudit } from './schema.ts';
export type { SealReport } from './sealer.ts';
export type { AuditAnchor, VerifyOptions, VerifyProgress, VerifyReport } from './verify.ts';
export type { ProblemKind, VerifyProblem } from './verify-batch.ts';
