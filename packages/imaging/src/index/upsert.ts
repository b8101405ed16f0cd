import { AppError } from '@yiyun/fhir';
import { asQueryable, type Database, type Queryable } from '@yiyun/store';
import type { IndexRecord } from './record.ts';
import { REFUSAL_MARK, upsertInstanceSql } from './upsert-sql.ts';

export interface IndexedObject {
  readonly blobKey: string;
  readonly size: number;
  /** SHA-256 of the Part 10 bytes: an identical re-send is a duplicate, a different one a replacement. */
  readonly digest: Uint8Array;
}

/**
 * Another module's row written by the same statement, only when the instance row is (the image
 * catalog's, so that the object and the instance commit together): a CTE reading `source`.
 */
export interface UpsertCompanion {
  sql(source: string, firstParam: number): string;
  readonly params: readonly unknown[];
}

export interface UpsertInput {
  readonly record: IndexRecord;
  /** The sending institution (Organization id). */
  readonly custodian: string;
  /** The FHIR Patient of a new study (an existing study keeps its own). */
  readonly patientId: string;
  readonly object: IndexedObject;
  readonly companion?: UpsertCompanion;
}

export type UpsertResult =
  | { readonly kind: 'duplicate'; readonly study: StudyState }
  | {
      readonly kind: 'stored';
      readonly studyCreated: boolean;
      readonly seriesCreated: boolean;
      /** The blob the instance pointed to before a replacement with other bytes (to remove). */
      readonly replacedBlobKey?: string;
      readonly study: StudyState;
      /** What the companion CTE returned (its row as JSON), when there was one. */
      readonly companion?: unknown;
    };

/** What the service needs to decide whether the ImagingStudy must be written now. */
export interface StudyState {
  readonly studyUid: string;
  readonly patientId: string;
  readonly custodian: string;
  readonly version: number;
  readonly fhirVersion: number;
  readonly imagingStudyId: string | null;
  readonly fhirSyncedAt: Date | null;
}

export interface StudyRow {
  study_uid: string;
  patient_id: string;
  custodian: string;
  version: number;
  fhir_version: number;
  imaging_study_id: string | null;
  fhir_synced_at: Date | null;
}

const STUDY_STATE = `study_uid, patient_id, custodian, version, fhir_version, imaging_study_id, fhir_synced_at`;

export function toState(row: StudyRow): StudyState {
  return {
    studyUid: row.study_uid,
    patientId: row.patient_id,
    custodian: row.custodian,
    version: row.version,
    fhirVersion: row.fhir_version,
    imagingStudyId: row.imaging_study_id,
    fhirSyncedAt: row.fhir_synced_at,
  };
}

/** The study row's access facts and sync state (no access check: for the service's own decisions). */
export async function readStudyState(q: Queryable, studyUid: string): Promise<StudyState | undefined> {
  const rows = await q.unsafe<StudyRow[]>(
    `select ${STUDY_STATE} from imaging_study where study_uid = $1::text`,
    [studyUid],
  );
  return rows[0] ? toState(rows[0]) : undefined;
}

interface UpsertRow {
  moved: boolean;
  same: boolean;
  old_key: string | null;
  ins_rows: string | number;
  series_created: boolean | null;
  series_elsewhere: boolean;
  study_refused: boolean;
  companion?: unknown;
  study_uid: string | null;
  patient_id: string;
  custodian: string;
  version: number;
  fhir_version: number;
  imaging_study_id: string | null;
  fhir_synced_at: Date | null;
  study_created: boolean | null;
  cur_study_uid: string | null;
  cur_patient_id: string;
  cur_custodian: string;
  cur_version: number;
  cur_fhir_version: number;
  cur_imaging_study_id: string | null;
  cur_fhir_synced_at: Date | null;
}

/** The placeholders of UPSERT_INSTANCE_SQL, in order. */
function upsertParams(input: UpsertInput): unknown[] {
  const { study: s, series: r, instance: i } = input.record;
  return [
    i.sopUid,
    r.seriesUid,
    s.studyUid,
    i.sopClass,
    i.transferSyntax,
    i.instanceNumber,
    i.numberOfFrames,
    i.rows,
    i.columns,
    i.acquisitionDateTime,
    input.object.blobKey,
    input.object.size,
    Buffer.from(input.object.digest.buffer, input.object.digest.byteOffset, input.object.digest.byteLength),
    JSON.stringify(i.metadata),
    JSON.stringify(i.bulk),
    r.modality,
    r.seriesNumber,
    r.description,
    r.seriesDate,
    r.seriesTime,
    r.ppsDate,
    r.ppsTime,
    JSON.stringify(r.attributes),
    input.custodian,
    input.patientId,
    s.dicomPatientId,
    s.issuer,
    s.pnAlpha,
    s.pnIdeo,
    s.pnPhon,
    s.pnFuzzy,
    s.birthDate,
    s.sex,
    s.studyDate,
    s.studyTime,
    s.accession,
    s.studyId,
    s.description,
    s.referringPn,
    JSON.stringify(s.attributes),
    ...(input.companion?.params ?? []),
  ];
}

/** The reason of a deliberate refusal raised by the statement, if `err` is one. */
function refusalOf(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : '';
  const at = message.indexOf(`${REFUSAL_MARK}:`);
  return at < 0 ? undefined : message.slice(at + REFUSAL_MARK.length + 1).split(':')[0];
}

async function studyConflict(q: Queryable, input: UpsertInput): Promise<AppError> {
  const uid = input.record.study.studyUid;
  const held = await q.unsafe<{ custodian: string }[]>(
    'select custodian from imaging_study where study_uid = $1::text',
    [uid],
  );
  return new AppError(
    'conflict',
    held[0]?.custodian !== input.custodian
      ? `Study ${uid} is held by another institution`
      : `Study ${uid} is stored for another Patient ID`,
  );
}

function resultOf(row: UpsertRow, input: UpsertInput): UpsertResult {
  const { instance, series } = input.record;
  if (row.moved || Number(row.ins_rows) === 0) {
    if (row.same && row.cur_study_uid) {
      const state = toState({
        study_uid: row.cur_study_uid,
        patient_id: row.cur_patient_id,
        custodian: row.cur_custodian,
        version: row.cur_version,
        fhir_version: row.cur_fhir_version,
        imaging_study_id: row.cur_imaging_study_id,
        fhir_synced_at: row.cur_fhir_synced_at,
      });
      return { kind: 'duplicate', study: state };
    }
    if (row.series_elsewhere && !row.moved)
      throw new AppError('conflict', `Series ${series.seriesUid} belongs to another study`);
    throw new AppError('conflict', `SOP Instance ${instance.sopUid} is stored in another series`);
  }
  if (!row.study_uid) throw new AppError('internal', 'index upsert returned no study');
  return {
    kind: 'stored',
    studyCreated: row.study_created === true,
    seriesCreated: row.series_created === true,
    ...(row.old_key !== null && row.old_key !== input.object.blobKey ? { replacedBlobKey: row.old_key } : {}),
    study: toState(row as StudyRow),
    ...(input.companion ? { companion: row.companion ?? null } : {}),
  };
}

/**
 * Indexes one stored instance with its series and study in ONE statement (./upsert-sql.ts): an
 * identical re-send changes nothing (`duplicate`), other bytes under the same SOP Instance UID
 * replace the instance (its series and study must stay the same), and the counts and modalities
 * are maintained. Concurrent stores of one study serialise on the series and study rows.
 */
export async function upsertInstance(sql: Database['sql'], input: UpsertInput): Promise<UpsertResult> {
  const q = asQueryable(sql);
  const text = upsertInstanceSql(
    input.companion ? (src, first) => input.companion!.sql(src, first) : undefined,
  );
  for (let attempt = 0; ; attempt++) {
    try {
      const rows = await q.unsafe<UpsertRow[]>(text, upsertParams(input));
      const row = rows[0];
      if (!row) throw new AppError('internal', 'index upsert returned no row');
      const written = Number(row.ins_rows) > 0;
      if (!written && !row.moved && !row.same && row.study_refused) throw await studyConflict(q, input);
      return resultOf(row, input);
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal === undefined) throw err;
      if (refusal === 'retry' && attempt < 3) continue;
      if (refusal === 'study-refused') throw await studyConflict(q, input);
      if (refusal === 'series-of-another-study')
        throw new AppError('conflict', `Series ${input.record.series.seriesUid} belongs to another study`);
      throw new AppError('conflict', `SOP Instance ${input.record.instance.sopUid} was stored concurrently`);
    }
  }
}
