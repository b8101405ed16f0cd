import { AppError, type ErrorCode } from '@yiyun/fhir';
import { asQueryable, type Database, migrateModule } from '@yiyun/store';
import { parsePart10 } from '../dicom/parse.ts';
import type { ParsedInstance } from '../dicom/port.ts';
import { locateInstances } from '../index/locate.ts';
import { IMAGING_MIGRATIONS } from '../index/migrations.ts';
import { queryIndex } from '../index/query/run.ts';
import { readStoreStates, type StoreState, type StoreStateQuery } from '../index/store-state.ts';
import { GroupCommit } from '../storage/group-commit.ts';
import type { ImageStore } from '../storage/port.ts';
import type { ImagingAudit, ImagingAuditEvent } from './audit-port.ts';
import type { ImagingCaller, ImagingService } from './port.ts';
import type { StudyRecords } from './records-port.ts';
import { type ImagingLogger, storeInstance } from './store-instance.ts';
import { StudySync } from './study-sync.ts';

export interface ImagingServiceOptions {
  readonly sql: Database['sql'];
  readonly images: ImageStore;
  readonly records: StudyRecords;
  readonly audit?: ImagingAudit;
  readonly logger?: ImagingLogger;
  /** Part 10 parser (default `parsePart10`). */
  readonly parse?: (bytes: Uint8Array) => ParsedInstance;
  /** Longest an ImagingStudy lags behind the index while instances of its series keep arriving (default 5 s). */
  readonly syncIntervalMs?: number;
  readonly now?: () => Date;
}

/** The ImagingService plus what the composition root drives. */
export interface IndexedImagingService extends ImagingService {
  /**
   * Writes the ImagingStudy of every study (or the given ones) whose FHIR resource lags behind the
   * index; call it when a STOW-RS request or a DIMSE association ends. Returns how many were written.
   */
  flush(studies?: readonly string[]): Promise<number>;
}

const silent: ImagingLogger = { warn: () => {}, error: () => {} };

function errorCode(err: unknown): ErrorCode {
  return err instanceof AppError ? err.code : 'internal';
}

type Facts = Omit<ImagingAuditEvent, 'action' | 'caller' | 'outcome' | 'error'>;

/**
 * The imaging capability over the DICOM index, the image store and the FHIR records
 * (issue #6 scopes 1, 3 and 7). Migrates the index's tables first. Every query and locate is
 * filtered by the caller's access in SQL; each operation is audited once.
 */
export async function createImagingService(options: ImagingServiceOptions): Promise<IndexedImagingService> {
  await migrateModule(options.sql, 'imaging-index', IMAGING_MIGRATIONS);
  const { sql, images, records, audit } = options;
  const logger = options.logger ?? silent;
  const sync = new StudySync({
    sql,
    records,
    intervalMs: options.syncIntervalMs ?? 5_000,
    now: options.now ?? (() => new Date()),
  });
  // Concurrent stores (STOW-RS requests, DIMSE associations) look their state up in one round trip.
  const states = new GroupCommit<StoreStateQuery, StoreState>({
    keyOf: (query) => query.sopUid,
    run: (queries) => readStoreStates(asQueryable(sql), queries),
  });
  const deps = {
    sql,
    images,
    records,
    sync,
    logger,
    parse: options.parse ?? ((b: Uint8Array) => parsePart10(b)),
    readState: (query: StoreStateQuery) => states.add(query),
  };

  async function audited<T>(
    action: ImagingAuditEvent['action'],
    caller: ImagingCaller,
    run: () => Promise<{ value: T; facts: Facts }>,
  ): Promise<T> {
    let outcome: { value: T; facts: Facts };
    try {
      outcome = await run();
    } catch (err) {
      await audit?.record({
        action,
        caller,
        studyUids: [],
        patientIds: [],
        outcome: 'failure',
        error: errorCode(err),
      });
      throw err;
    }
    await audit?.record({ action, caller, outcome: 'success', ...outcome.facts });
    return outcome.value;
  }

  return {
    store: (part10, caller, storeOptions) =>
      audited('store', caller, async () => {
        const stored = await storeInstance(deps, part10, caller, storeOptions);
        const facts = {
          studyUids: [stored.result.studyUid],
          patientIds: [stored.patientId],
          detail: { count: 1 },
        };
        return { value: stored.result, facts };
      }),

    query: (query, caller) =>
      audited('query', caller, async () => {
        const answer = await queryIndex(sql, query, caller);
        const detail = { level: query.level, count: answer.results.length };
        return {
          value: answer.results,
          facts: { studyUids: answer.studyUids, patientIds: answer.patientIds, detail },
        };
      }),

    locate: (selector, caller) =>
      audited('retrieve', caller, async () => {
        const found = await locateInstances(sql, selector, caller);
        const studyUids = found.locations.length ? [selector.study] : [];
        const detail = { count: found.locations.length };
        return { value: found.locations, facts: { studyUids, patientIds: found.patientIds, detail } };
      }),

    read: (location, range) => images.read(location.blobKey, range),

    flush: (studies) => sync.flush(studies),
  };
}
