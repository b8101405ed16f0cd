import { createHash } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import { asQueryable, type Database } from '@yiyun/store';
import type { ParsedInstance } from '../dicom/port.ts';
import { indexRecord } from '../index/record.ts';
import { readStudyState, type StudyState, type UpsertResult, upsertInstance } from '../index/upsert.ts';
import type { ImageStore } from '../storage/port.ts';
import type { ImagingCaller, StoreOptions, StoreResult } from './port.ts';
import type { StudyRecords } from './records-port.ts';
import type { StudySync } from './study-sync.ts';

/** pino-compatible: constant messages, data in fields (never names, IDs or bodies). */
export interface ImagingLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface StoreDeps {
  readonly sql: Database['sql'];
  readonly images: ImageStore;
  readonly records: StudyRecords;
  readonly sync: StudySync;
  readonly parse: (bytes: Uint8Array) => ParsedInstance;
  readonly logger: ImagingLogger;
}

export interface Stored {
  readonly result: StoreResult;
  readonly patientId: string;
}

/**
 * Blob key of one version of an instance: the digest in the key means a replacement never
 * overwrites the bytes the index still points to (the old object is removed after the switch).
 */
export function instanceBlobKey(parsed: ParsedInstance, digest: Uint8Array): string {
  const version = Buffer.from(digest).subarray(0, 8).toString('hex');
  return `studies/${parsed.studyUid}/${parsed.seriesUid}/${parsed.sopInstanceUid}.${version}`;
}

interface KnownInstance {
  study_uid: string;
  series_uid: string;
  digest: Uint8Array;
}

/** Refuses before any byte is written what the index transaction would refuse anyway (no orphaned objects). */
function precheck(
  parsed: ParsedInstance,
  organization: string,
  study: StudyState | undefined,
  known?: KnownInstance,
) {
  if (study && study.custodian !== organization)
    throw new AppError('conflict', `Study ${parsed.studyUid} is held by another institution`);
  if (known && (known.study_uid !== parsed.studyUid || known.series_uid !== parsed.seriesUid))
    throw new AppError('conflict', `SOP Instance ${parsed.sopInstanceUid} is stored in another series`);
}

function resultOf(parsed: ParsedInstance, outcome: StoreResult['outcome'], warnings: string[]): StoreResult {
  return {
    sopClassUid: parsed.sopClassUid,
    sopInstanceUid: parsed.sopInstanceUid,
    studyUid: parsed.studyUid,
    seriesUid: parsed.seriesUid,
    outcome,
    warnings,
  };
}

async function indexOrCleanUp(
  deps: StoreDeps,
  object: { key: string; sop: string },
  run: () => Promise<UpsertResult>,
): Promise<UpsertResult> {
  const { key, sop } = object;
  try {
    return await run();
  } catch (err) {
    // Only an object no index row points to is removed (another replica may have indexed the same bytes).
    const cleanUp = async () => {
      const used = await asQueryable(deps.sql).unsafe<{ one: number }[]>(
        'select 1 as one from imaging_instance where sop_uid = $1::text and blob_key = $2::text',
        [sop, key],
      );
      if (used.length === 0) await deps.images.remove(key);
    };
    await cleanUp().catch((e: unknown) =>
      deps.logger.warn({ key, err: String(e) }, 'orphaned image not removed'),
    );
    throw err;
  }
}

/**
 * store: check the caller → parse → expected study → duplicate? → write the bytes durably →
 * Patient (new studies only) → index (one transaction) → ImagingStudy when due → acknowledge.
 */
export async function storeInstance(
  deps: StoreDeps,
  part10: Uint8Array,
  caller: ImagingCaller,
  options: StoreOptions = {},
): Promise<Stored> {
  const organization = caller.organization;
  if (!caller.canStore || !organization)
    throw new AppError('forbidden', 'The caller may not store instances');
  const parsed = deps.parse(part10);
  if (options.expectedStudy !== undefined && parsed.studyUid !== options.expectedStudy)
    throw new AppError(
      'conflict',
      `The instance belongs to study ${parsed.studyUid}, not ${options.expectedStudy}`,
    );
  const q = asQueryable(deps.sql);
  const digest = createHash('sha256').update(part10).digest();
  const [study, known] = await Promise.all([
    readStudyState(q, parsed.studyUid),
    q
      .unsafe<KnownInstance[]>(
        'select study_uid, series_uid, digest from imaging_instance where sop_uid = $1::text',
        [parsed.sopInstanceUid],
      )
      .then((rows) => rows[0]),
  ]);
  precheck(parsed, organization, study, known);
  if (study && known && digest.equals(Buffer.from(known.digest))) {
    if (study.imagingStudyId === null) await deps.sync.sync(study);
    return { result: resultOf(parsed, 'duplicate', []), patientId: study.patientId };
  }
  const key = instanceBlobKey(parsed, digest);
  const receipt = await deps.images.write(key, part10, { study: parsed.studyUid });
  const patientId = study?.patientId ?? (await deps.records.resolvePatient(parsed.patient, organization));
  const upsert = await indexOrCleanUp(deps, { key, sop: parsed.sopInstanceUid }, () =>
    upsertInstance(deps.sql, {
      record: indexRecord(parsed),
      custodian: organization,
      patientId,
      object: { blobKey: key, size: part10.length, digest },
    }),
  );
  const hint = upsert.kind === 'stored' ? upsert : { studyCreated: false, seriesCreated: false };
  if (deps.sync.isDue(upsert.study, hint)) await deps.sync.sync(upsert.study);
  if (upsert.kind === 'stored' && upsert.replacedBlobKey) {
    const old = upsert.replacedBlobKey;
    await deps.images
      .remove(old)
      .catch((e: unknown) => deps.logger.warn({ key: old, err: String(e) }, 'replaced image not removed'));
  }
  const warnings = receipt.underReplicated
    ? ['Stored with fewer copies than configured; replication will complete later']
    : [];
  return {
    result: resultOf(parsed, upsert.kind === 'duplicate' ? 'duplicate' : 'stored', warnings),
    patientId: upsert.study.patientId,
  };
}
