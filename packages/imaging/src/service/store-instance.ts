import { AppError } from '@yiyun/fhir';
import type { Database } from '@yiyun/store';
import type { ParsedInstance } from '../dicom/port.ts';
import { indexRecord } from '../index/record.ts';
import type { KnownInstance, StoreState, StoreStateQuery } from '../index/store-state.ts';
import { type StudyState, type UpsertResult, upsertInstance } from '../index/upsert.ts';
import { sha256InPool } from '../storage/placement.ts';
import { type ImagingCaller, type StoreOptions, type StoreResult, WARNING_NONCONFORMANT } from './port.ts';
import type { StudyRecords } from './records-port.ts';
import { type StagedImage, type StagingImageStore, stageImage } from './staged-image.ts';
import type { StudySync } from './study-sync.ts';

/** pino-compatible: constant messages, data in fields (never names, IDs or bodies). */
export interface ImagingLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface StoreDeps {
  readonly sql: Database['sql'];
  readonly images: StagingImageStore;
  readonly records: StudyRecords;
  readonly sync: StudySync;
  readonly parse: (bytes: Uint8Array) => ParsedInstance;
  readonly logger: ImagingLogger;
  /** The study's state and the instance stored under the SOP Instance UID (`readStoreStates`, batched). */
  readonly readState: (query: StoreStateQuery) => Promise<StoreState>;
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

/** Refuses before any byte is written what the index transaction would refuse anyway (no orphaned objects). */
function precheck(
  parsed: ParsedInstance,
  organization: string,
  study: StudyState | undefined,
  known?: KnownInstance,
) {
  if (study && study.custodian !== organization)
    throw new AppError('conflict', `Study ${parsed.studyUid} is held by another institution`);
  if (known && (known.studyUid !== parsed.studyUid || known.seriesUid !== parsed.seriesUid))
    throw new AppError('conflict', `SOP Instance ${parsed.sopInstanceUid} is stored in another series`);
}

function resultOf(parsed: ParsedInstance, outcome: StoreResult['outcome'], extra: string[]): StoreResult {
  const deviations = parsed.warnings ?? [];
  return {
    sopClassUid: parsed.sopClassUid,
    sopInstanceUid: parsed.sopInstanceUid,
    studyUid: parsed.studyUid,
    seriesUid: parsed.seriesUid,
    outcome,
    warnings: [...deviations, ...extra],
    ...(deviations.length > 0 ? { warningReason: WARNING_NONCONFORMANT } : {}),
  };
}

/** Lets porsager send the queries just issued: it writes small messages on the next setImmediate. */
const flushQueries = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * store: check the caller → parse → expected study → (study state ‖ SHA-256) → duplicate? →
 * write the bytes durably → Patient (new studies only) → index and image catalog rows in one
 * statement → ImagingStudy when due → acknowledge.
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
  // The round trip for the study's state runs while the digest is computed in the thread pool.
  const state = deps.readState({ studyUid: parsed.studyUid, sopUid: parsed.sopInstanceUid });
  state.catch(() => {}); // awaited below
  await flushQueries();
  const digest = await sha256InPool(part10);
  const { study, known } = await state;
  precheck(parsed, organization, study, known);
  if (study && known && digest.equals(Buffer.from(known.digest))) {
    if (study.imagingStudyId === null) await deps.sync.sync(study);
    return { result: resultOf(parsed, 'duplicate', []), patientId: study.patientId };
  }
  const key = instanceBlobKey(parsed, digest);
  const staged = await stageImage(deps.sql, deps.images, {
    key,
    body: part10,
    study: parsed.studyUid,
    sopUid: parsed.sopInstanceUid,
  });
  let upsert: UpsertResult;
  try {
    const patientId = study?.patientId ?? (await deps.records.resolvePatient(parsed.patient, organization));
    upsert = await upsertInstance(deps.sql, {
      record: indexRecord(parsed),
      custodian: organization,
      patientId,
      object: { blobKey: key, size: part10.length, digest },
      ...(staged.companion ? { companion: staged.companion } : {}),
    });
  } catch (err) {
    await discard(deps, staged, key);
    throw err;
  }
  return finish(deps, { parsed, staged, key, upsert });
}

async function discard(deps: StoreDeps, staged: StagedImage, key: string): Promise<void> {
  await staged
    .discard()
    .catch((e: unknown) => deps.logger.warn({ key, err: String(e) }, 'orphaned image not removed'));
}

interface Indexed {
  readonly parsed: ParsedInstance;
  readonly staged: StagedImage;
  readonly key: string;
  readonly upsert: UpsertResult;
}

/** After the index statement: settle the staged image, sync the ImagingStudy when due, answer. */
async function finish(deps: StoreDeps, { parsed, staged, key, upsert }: Indexed): Promise<Stored> {
  if (upsert.kind !== 'stored') {
    // A duplicate found only now (a concurrent identical store): our copy is not needed.
    await discard(deps, staged, key);
    if (upsert.study.imagingStudyId === null) await deps.sync.sync(upsert.study);
    return { result: resultOf(parsed, 'duplicate', []), patientId: upsert.study.patientId };
  }
  staged.recorded(upsert.companion);
  if (deps.sync.isDue(upsert.study, upsert)) await deps.sync.sync(upsert.study);
  if (upsert.replacedBlobKey) {
    const old = upsert.replacedBlobKey;
    await deps.images
      .remove(old)
      .catch((e: unknown) => deps.logger.warn({ key: old, err: String(e) }, 'replaced image not removed'));
  }
  const warnings = staged.receipt.underReplicated
    ? ['Stored with fewer copies than configured; replication will complete later']
    : [];
  return { result: resultOf(parsed, 'stored', warnings), patientId: upsert.study.patientId };
}
