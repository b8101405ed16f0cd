import { AppError } from '@yiyun/fhir';
import { asQueryable, type Database, type Queryable } from '@yiyun/store';
import type { IndexRecord } from './record.ts';

export interface IndexedObject {
  readonly blobKey: string;
  readonly size: number;
  /** SHA-256 of the Part 10 bytes: an identical re-send is a duplicate, a different one a replacement. */
  readonly digest: Uint8Array;
}

export interface UpsertInput {
  readonly record: IndexRecord;
  /** The sending institution (Organization id). */
  readonly custodian: string;
  /** The FHIR Patient of a new study (an existing study keeps its own). */
  readonly patientId: string;
  readonly object: IndexedObject;
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

interface ExistingInstance {
  series_uid: string;
  study_uid: string;
  blob_key: string;
  digest: Uint8Array;
}

interface StudyRow {
  study_uid: string;
  patient_id: string;
  custodian: string;
  version: number;
  fhir_version: number;
  imaging_study_id: string | null;
  fhir_synced_at: Date | null;
}

const STUDY_STATE = `study_uid, patient_id, custodian, version, fhir_version, imaging_study_id, fhir_synced_at`;

function toState(row: StudyRow): StudyState {
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/** The study row's access facts and sync state (no access check: for the service's own decisions). */
export async function readStudyState(q: Queryable, studyUid: string): Promise<StudyState | undefined> {
  const rows = await q.unsafe<StudyRow[]>(
    `select ${STUDY_STATE} from imaging_study where study_uid = $1::text`,
    [studyUid],
  );
  return rows[0] ? toState(rows[0]) : undefined;
}

/** Inserts the study or merges this instance's study attributes into it; refuses another institution's or patient's study. */
async function upsertStudy(q: Queryable, input: UpsertInput): Promise<{ row: StudyRow; inserted: boolean }> {
  const s = input.record.study;
  const rows = await q.unsafe<(StudyRow & { inserted: boolean })[]>(
    `insert into imaging_study as t (study_uid, custodian, patient_id, dicom_patient_id, issuer, pn_alpha, pn_ideo,
       pn_phon, pn_fuzzy, birth_date, sex, study_date, study_time, accession, study_id, description, referring_pn,
       attributes)
     values ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::date,
       $11::text, $12::date, $13::time, $14::text, $15::text, $16::text, $17::text[], $18::text::jsonb)
     on conflict (study_uid) do update set
       issuer = coalesce(excluded.issuer, t.issuer), pn_alpha = coalesce(excluded.pn_alpha, t.pn_alpha),
       pn_ideo = coalesce(excluded.pn_ideo, t.pn_ideo), pn_phon = coalesce(excluded.pn_phon, t.pn_phon),
       pn_fuzzy = coalesce(excluded.pn_fuzzy, t.pn_fuzzy), birth_date = coalesce(excluded.birth_date, t.birth_date),
       sex = coalesce(excluded.sex, t.sex), study_date = coalesce(excluded.study_date, t.study_date),
       study_time = coalesce(excluded.study_time, t.study_time), accession = coalesce(excluded.accession, t.accession),
       study_id = coalesce(excluded.study_id, t.study_id), description = coalesce(excluded.description, t.description),
       referring_pn = coalesce(excluded.referring_pn, t.referring_pn), attributes = t.attributes || excluded.attributes,
       version = t.version + 1, updated_at = now()
     where t.custodian = excluded.custodian and t.dicom_patient_id is not distinct from excluded.dicom_patient_id
     returning ${STUDY_STATE}, (xmax = 0) as inserted`,
    [
      s.studyUid,
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
    ],
  );
  const row = rows[0];
  if (row) return { row, inserted: row.inserted };
  const held = await q.unsafe<{ custodian: string }[]>(
    'select custodian from imaging_study where study_uid = $1::text',
    [s.studyUid],
  );
  throw new AppError(
    'conflict',
    held[0]?.custodian !== input.custodian
      ? `Study ${s.studyUid} is held by another institution`
      : `Study ${s.studyUid} is stored for another Patient ID`,
  );
}

async function upsertSeries(q: Queryable, input: UpsertInput): Promise<boolean> {
  const r = input.record.series;
  const rows = await q.unsafe<{ inserted: boolean }[]>(
    `insert into imaging_series as t (series_uid, study_uid, modality, series_number, description, series_date,
       series_time, pps_date, pps_time, attributes)
     values ($1::text, $2::text, $3::text, $4::int4, $5::text, $6::date, $7::time, $8::date, $9::time, $10::text::jsonb)
     on conflict (series_uid) do update set
       modality = coalesce(excluded.modality, t.modality), series_number = coalesce(excluded.series_number, t.series_number),
       description = coalesce(excluded.description, t.description), series_date = coalesce(excluded.series_date, t.series_date),
       series_time = coalesce(excluded.series_time, t.series_time), pps_date = coalesce(excluded.pps_date, t.pps_date),
       pps_time = coalesce(excluded.pps_time, t.pps_time), attributes = t.attributes || excluded.attributes,
       updated_at = now()
     where t.study_uid = excluded.study_uid
     returning (xmax = 0) as inserted`,
    [
      r.seriesUid,
      input.record.study.studyUid,
      r.modality,
      r.seriesNumber,
      r.description,
      r.seriesDate,
      r.seriesTime,
      r.ppsDate,
      r.ppsTime,
      JSON.stringify(r.attributes),
    ],
  );
  if (!rows[0]) throw new AppError('conflict', `Series ${r.seriesUid} belongs to another study`);
  return rows[0].inserted;
}

async function writeInstance(q: Queryable, input: UpsertInput): Promise<void> {
  const i = input.record.instance;
  await q.unsafe(
    `insert into imaging_instance as t (sop_uid, series_uid, study_uid, sop_class, transfer_syntax, instance_number,
       number_of_frames, pixel_rows, pixel_columns, acquisition_datetime, blob_key, size, digest, metadata, bulk)
     values ($1::text, $2::text, $3::text, $4::text, $5::text, $6::int4, $7::int4, $8::int4, $9::int4, $10::timestamp,
       $11::text, $12::int8, $13::bytea, $14::text::jsonb, $15::text::jsonb)
     on conflict (sop_uid) do update set
       sop_class = excluded.sop_class, transfer_syntax = excluded.transfer_syntax,
       instance_number = excluded.instance_number, number_of_frames = excluded.number_of_frames,
       pixel_rows = excluded.pixel_rows, pixel_columns = excluded.pixel_columns,
       acquisition_datetime = excluded.acquisition_datetime, blob_key = excluded.blob_key, size = excluded.size,
       digest = excluded.digest, metadata = excluded.metadata, bulk = excluded.bulk, updated_at = now()`,
    [
      i.sopUid,
      input.record.series.seriesUid,
      input.record.study.studyUid,
      i.sopClass,
      i.transferSyntax,
      i.instanceNumber,
      i.numberOfFrames,
      i.rows,
      i.columns,
      i.acquisitionDateTime,
      input.object.blobKey,
      input.object.size,
      Buffer.from(input.object.digest),
      JSON.stringify(i.metadata),
      JSON.stringify(i.bulk),
    ],
  );
}

/** Keeps the series and study counts and ModalitiesInStudy (0008,0061) in step with the rows. */
async function updateCounts(q: Queryable, input: UpsertInput, seriesCreated: boolean): Promise<StudyRow> {
  const { study, series } = input.record;
  await q.unsafe('update imaging_series set num_instances = num_instances + 1 where series_uid = $1::text', [
    series.seriesUid,
  ]);
  const rows = await q.unsafe<StudyRow[]>(
    `update imaging_study set num_instances = num_instances + 1, num_series = num_series + $2::int4,
       modalities = case when $3::text is null or $3::text = any(modalities) then modalities
         else (select array_agg(m order by m) from unnest(array_append(modalities, $3::text)) m) end
     where study_uid = $1::text
     returning ${STUDY_STATE}`,
    [study.studyUid, seriesCreated ? 1 : 0, series.modality],
  );
  return rows[0] as StudyRow;
}

class Duplicate extends Error {
  readonly state: StudyState;
  constructor(state: StudyState) {
    super('duplicate');
    this.state = state;
  }
}

/**
 * Indexes one stored instance with its series and study in ONE transaction: an identical re-send
 * changes nothing (`duplicate`), other bytes under the same SOP Instance UID replace the instance
 * (its series and study must stay the same), and the counts and modalities are maintained.
 * Concurrent stores of one study serialise on the study row.
 */
export async function upsertInstance(sql: Database['sql'], input: UpsertInput): Promise<UpsertResult> {
  try {
    return await sql.begin(async (tx) => {
      const q = asQueryable(tx);
      const { instance, series, study } = input.record;
      const found = await q.unsafe<ExistingInstance[]>(
        `select series_uid, study_uid, blob_key, digest from imaging_instance where sop_uid = $1::text for update`,
        [instance.sopUid],
      );
      const existing = found[0];
      if (existing && (existing.series_uid !== series.seriesUid || existing.study_uid !== study.studyUid))
        throw new AppError('conflict', `SOP Instance ${instance.sopUid} is stored in another series`);
      if (existing && sameBytes(existing.digest, input.object.digest)) {
        const state = await readStudyState(q, study.studyUid);
        if (state) throw new Duplicate(state);
      }
      const up = await upsertStudy(q, input);
      const seriesCreated = await upsertSeries(q, input);
      await writeInstance(q, input);
      const row = existing ? up.row : await updateCounts(q, input, seriesCreated);
      return {
        kind: 'stored' as const,
        studyCreated: up.inserted,
        seriesCreated,
        ...(existing && existing.blob_key !== input.object.blobKey
          ? { replacedBlobKey: existing.blob_key }
          : {}),
        study: toState(row),
      };
    });
  } catch (err) {
    if (err instanceof Duplicate) return { kind: 'duplicate', study: err.state };
    throw err;
  }
}
