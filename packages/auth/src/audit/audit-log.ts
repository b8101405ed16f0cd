import type { AuditEvent } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { Database } from '@yiyun/store';
import { type AuditSource, safeAccount, toAuditEvent, uniquePatients } from './balp.ts';
import { type EventFields, eventDigest, type HashAlgorithm, isHashAlgorithm } from './hashing.ts';
import { type AuditPage, type AuditQuery, readEvent, searchEvents } from './query.ts';
import { type AuditRecord, assertValidRecord } from './record.ts';
import { migrateAudit } from './schema.ts';
import { type SealReport, sealPending } from './sealer.ts';
import { type VerifyOptions, type VerifyReport, verifyChain } from './verify.ts';
import { GroupCommitWriter, type WriterStats } from './writer.ts';

/** pino-compatible: constant messages, data in fields. */
export interface AuditLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface AuditLogOptions {
  readonly sql: Database['sql'];
  /** Hash for new digests, leaves and batches; recorded per row and per batch. Default `sha256`. */
  readonly algorithm?: HashAlgorithm;
  /** AuditEvent.source; default node `yiyun`. */
  readonly source?: AuditSource;
  /** Events per sealed batch (default 1000). */
  readonly batchSize?: number;
  /** Events younger than this are not sealed yet, so late commits of lower seqs are not skipped (ms, default 2000). */
  readonly sealMarginMs?: number;
  /** Rows per group-commit INSERT (default 500). */
  readonly maxBatchInsert?: number;
  /** Concurrent group-commit INSERTs (default 2). */
  readonly maxInFlight?: number;
  readonly logger?: AuditLogger;
  /** Run the audit migrations on open (default true). */
  readonly migrate?: boolean;
}

/** The platform's append-only, hash-chained audit log (docs/decisions/0002-audit-chain.md). */
export interface AuditLog {
  /** Resolves once the event is durably stored; rejects (AppError internal) if it could not be. */
  record(record: AuditRecord): Promise<void>;
  /** Resolves once every event recorded so far is stored. */
  flush(): Promise<void>;
  /** Seals settled events into chained batches; a no-op while another replica seals. */
  seal(): Promise<SealReport>;
  /** Seals every `intervalMs` until `stopSealing()` or `close()`. */
  startSealing(intervalMs: number): void;
  stopSealing(): Promise<void>;
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  search(query: AuditQuery): Promise<AuditPage>;
  /** By AuditEvent id (`a-<seq>`); undefined when there is no such event. */
  read(id: string): Promise<AuditEvent | undefined>;
  /** Group-commit counters (INSERTs issued, events written). */
  readonly stats: WriterStats;
  /** Stops sealing and flushes; later `record` calls reject. */
  close(): Promise<void>;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new AppError('invalid', `${name} must be a positive integer`);
  return v;
}

function rowFields(record: AuditRecord, content: AuditEvent): EventFields {
  return {
    recorded: content.recorded!,
    kind: record.kind,
    outcome: record.outcome,
    account: safeAccount(record.agent.account) ?? null,
    organization: record.agent.organization ?? null,
    patients: uniquePatients(record),
    content,
  };
}

export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const { sql, logger } = options;
  const algorithm = options.algorithm ?? 'sha256';
  if (!isHashAlgorithm(algorithm)) throw new AppError('invalid', `Unknown audit hash algorithm ${algorithm}`);
  const source = options.source ?? { node: 'yiyun' };
  const sealOptions = {
    sql,
    algorithm,
    batchSize: positive('batchSize', options.batchSize, 1000),
    marginMs: Math.max(0, options.sealMarginMs ?? 2000),
    maxBatches: 50,
  };
  if (options.migrate !== false) await migrateAudit(sql);
  const writer = new GroupCommitWriter({
    sql,
    algorithm,
    maxBatch: positive('maxBatchInsert', options.maxBatchInsert, 500),
    maxInFlight: positive('maxInFlight', options.maxInFlight, 2),
  });
  let timer: NodeJS.Timeout | undefined;
  let sealing: Promise<unknown> = Promise.resolve();
  let sealRunning = false;
  const sealOnce = () => {
    if (sealRunning) return;
    sealRunning = true;
    sealing = sealPending(sealOptions)
      .catch((err: unknown) => logger?.error({ err }, 'audit seal failed'))
      .finally(() => {
        sealRunning = false;
      });
  };
  const stopSealing = async () => {
    clearInterval(timer);
    timer = undefined;
    await sealing;
  };
  return {
    record(record) {
      try {
        assertValidRecord(record);
        const content = toAuditEvent(record, source);
        const fields = rowFields(record, content);
        return writer.write({ fields, digest: eventDigest(algorithm, fields) });
      } catch (err) {
        return Promise.reject(err);
      }
    },
    flush: () => writer.flush(),
    seal: () => sealPending(sealOptions),
    startSealing(intervalMs) {
      clearInterval(timer);
      timer = setInterval(sealOnce, positive('intervalMs', intervalMs, 1000));
      timer.unref();
    },
    stopSealing,
    verify: (opts) => verifyChain(sql, opts),
    search: (query) => searchEvents(sql, query),
    read: (id) => readEvent(sql, id),
    get stats() {
      return writer.stats;
    },
    async close() {
      await stopSealing();
      await writer.close();
    },
  };
}
