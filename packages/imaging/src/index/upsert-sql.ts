/**
 * The index upsert of one instance as ONE statement (no BEGIN/COMMIT round trips: a transaction of
 * eight statements cost ~2.2 ms here, one statement with data-modifying CTEs ~0.45 ms).
 *
 * Each table is written once, in the order instance → series → study (each CTE reads the one
 * before, so PostgreSQL runs them in that order and locks rows in that order for every writer):
 * - `prev` locks the existing instance row (a re-send of one SOP Instance serialises on it);
 * - `ins` writes the instance unless it is an identical re-send or belongs to another series; its
 *   `inserted` flag (xmax = 0) is what the counts add, so a concurrent first store of the same SOP
 *   Instance is never counted twice;
 * - `ser` and `st` upsert the series and the study, adding the counts; their WHERE clauses refuse
 *   a series of another study and a study of another institution or Patient ID.
 * A refusal after something was written makes the final SELECT fail on purpose (`refuse`), which
 * rolls the whole statement back: the index never holds half an instance.
 *
 * Parameters: see `upsertParams` in ./upsert.ts (the order is the one of the placeholders here).
 */

const STUDY_STATE = `study_uid, patient_id, custodian, version, fhir_version, imaging_study_id, fhir_synced_at`;

/** Marks the text of a deliberate refusal (see `refusalOf` in ./upsert.ts). */
export const REFUSAL_MARK = 'yiyun-index-refusal';

/** Placeholders the statement itself uses ($1…$40); a companion's start after them. */
export const UPSERT_PARAMS = 40;

/**
 * The statement, with an optional companion CTE (e.g. the image catalog's row, written only when
 * the instance row is: it reads `ins`).
 */
export function upsertInstanceSql(companion?: (source: string, firstParam: number) => string): string {
  const withCompanion = companion ? `companion as (${companion('ins', UPSERT_PARAMS + 1)}),` : '';
  const companionColumn = companion ? '(select to_jsonb(c) from companion c) as companion,' : '';
  return /* sql */ `
with prev as (
  select series_uid, study_uid, blob_key, digest from imaging_instance where sop_uid = $1::text for update
),
guard as (
  select $1::text as sop,
    exists (select 1 from prev where series_uid <> $2::text or study_uid <> $3::text) as moved,
    exists (select 1 from prev where series_uid = $2::text and study_uid = $3::text and digest = $13::bytea) as same,
    exists (select 1 from prev) as existed,
    (select blob_key from prev) as old_key,
    -- Refusals known from the snapshot are answered without writing anything.
    exists (select 1 from imaging_series where series_uid = $2::text and study_uid <> $3::text) as series_elsewhere,
    exists (select 1 from imaging_study where study_uid = $3::text
      and (custodian <> $24::text or dicom_patient_id is distinct from $26::text)) as study_refused
),
ins as (
  insert into imaging_instance as t (sop_uid, series_uid, study_uid, sop_class, transfer_syntax, instance_number,
    number_of_frames, pixel_rows, pixel_columns, acquisition_datetime, blob_key, size, digest, metadata, bulk)
  select $1::text, $2::text, $3::text, $4::text, $5::text, $6::int4, $7::int4, $8::int4, $9::int4, $10::timestamp,
    $11::text, $12::int8, $13::bytea, $14::text::jsonb, $15::text::jsonb
  from guard
  where not (guard.moved or guard.same or guard.series_elsewhere or guard.study_refused)
  on conflict (sop_uid) do update set
    sop_class = excluded.sop_class, transfer_syntax = excluded.transfer_syntax,
    instance_number = excluded.instance_number, number_of_frames = excluded.number_of_frames,
    pixel_rows = excluded.pixel_rows, pixel_columns = excluded.pixel_columns,
    acquisition_datetime = excluded.acquisition_datetime, blob_key = excluded.blob_key, size = excluded.size,
    digest = excluded.digest, metadata = excluded.metadata, bulk = excluded.bulk, updated_at = now()
  where t.series_uid = excluded.series_uid and t.study_uid = excluded.study_uid
  returning (xmax = 0) as inserted
),
${withCompanion}
ser as (
  insert into imaging_series as t (series_uid, study_uid, modality, series_number, description, series_date,
    series_time, pps_date, pps_time, attributes, num_instances)
  select $2::text, $3::text, $16::text, $17::int4, $18::text, $19::date, $20::time, $21::date, $22::time,
    $23::text::jsonb, case when ins.inserted then 1 else 0 end
  from ins
  on conflict (series_uid) do update set
    modality = coalesce(excluded.modality, t.modality), series_number = coalesce(excluded.series_number, t.series_number),
    description = coalesce(excluded.description, t.description), series_date = coalesce(excluded.series_date, t.series_date),
    series_time = coalesce(excluded.series_time, t.series_time), pps_date = coalesce(excluded.pps_date, t.pps_date),
    pps_time = coalesce(excluded.pps_time, t.pps_time), attributes = t.attributes || excluded.attributes,
    num_instances = t.num_instances + excluded.num_instances, updated_at = now()
  where t.study_uid = excluded.study_uid
  returning (xmax = 0) as inserted
),
st as (
  insert into imaging_study as t (study_uid, custodian, patient_id, dicom_patient_id, issuer, pn_alpha, pn_ideo,
    pn_phon, pn_fuzzy, birth_date, sex, study_date, study_time, accession, study_id, description, referring_pn,
    attributes, num_series, num_instances, modalities)
  select $3::text, $24::text, $25::text, $26::text, $27::text, $28::text, $29::text, $30::text, $31::text,
    $32::date, $33::text, $34::date, $35::time, $36::text, $37::text, $38::text, $39::text[], $40::text::jsonb,
    case when ser.inserted then 1 else 0 end, (select count(*) from ins where ins.inserted)::int4,
    case when $16::text is null then '{}'::text[] else array[$16::text] end
  from ser
  on conflict (study_uid) do update set
    issuer = coalesce(excluded.issuer, t.issuer), pn_alpha = coalesce(excluded.pn_alpha, t.pn_alpha),
    pn_ideo = coalesce(excluded.pn_ideo, t.pn_ideo), pn_phon = coalesce(excluded.pn_phon, t.pn_phon),
    pn_fuzzy = coalesce(excluded.pn_fuzzy, t.pn_fuzzy), birth_date = coalesce(excluded.birth_date, t.birth_date),
    sex = coalesce(excluded.sex, t.sex), study_date = coalesce(excluded.study_date, t.study_date),
    study_time = coalesce(excluded.study_time, t.study_time), accession = coalesce(excluded.accession, t.accession),
    study_id = coalesce(excluded.study_id, t.study_id), description = coalesce(excluded.description, t.description),
    referring_pn = coalesce(excluded.referring_pn, t.referring_pn), attributes = t.attributes || excluded.attributes,
    num_series = t.num_series + excluded.num_series, num_instances = t.num_instances + excluded.num_instances,
    -- ModalitiesInStudy (0008,0061) grows with new instances only, as the counts do.
    modalities = case when excluded.num_instances = 0 or $16::text is null or $16::text = any(t.modalities)
      then t.modalities
      else (select array_agg(m order by m) from unnest(array_append(t.modalities, $16::text)) m) end,
    version = t.version + 1, updated_at = now()
  where t.custodian = excluded.custodian and t.dicom_patient_id is not distinct from excluded.dicom_patient_id
  returning ${STUDY_STATE}, (xmax = 0) as inserted
),
outcome as (
  select g.sop, g.moved, g.same, g.existed, g.old_key, g.series_elsewhere, g.study_refused,
    (select count(*) from ins) as ins_rows, (select bool_or(inserted) from ins) as ins_new,
    (select count(*) from ser) as ser_rows, (select bool_or(inserted) from ser) as series_created
  from guard g
),
verdict as (
  select o.*, case
      -- Something was written but a later table refused it: the statement must fail as a whole.
      when o.ins_rows > 0 and o.ser_rows = 0 then 'series-of-another-study'
      when o.ser_rows > 0 and not exists (select 1 from st) then 'study-refused'
      -- Another writer stored this SOP Instance between our snapshot and our write: start again.
      when not o.existed and o.ins_rows > 0 and not o.ins_new then 'retry'
    end as refusal
  from outcome o
)
select v.moved, v.same, v.old_key, v.ins_rows, v.series_created, v.series_elsewhere, v.study_refused,
  ${companionColumn}
  case when v.refusal is not null then ('${REFUSAL_MARK}:' || v.refusal || ':' || v.sop)::int end as refused,
  st.study_uid, st.patient_id, st.custodian, st.version, st.fhir_version, st.imaging_study_id, st.fhir_synced_at,
  st.inserted as study_created,
  cur.study_uid as cur_study_uid, cur.patient_id as cur_patient_id, cur.custodian as cur_custodian,
  cur.version as cur_version, cur.fhir_version as cur_fhir_version, cur.imaging_study_id as cur_imaging_study_id,
  cur.fhir_synced_at as cur_fhir_synced_at
from verdict v
left join st on true
left join imaging_study cur on cur.study_uid = $3::text`;
}
