import type { Queryable } from '@yiyun/store';
import type { DicomJson } from '../service/port.ts';
import type { SeriesSummary, StudySummary } from '../service/records-port.ts';
import { textOf } from './record.ts';

interface StudyRow {
  version: number;
  accession: string | null;
  description: string | null;
  study_date: string | null;
  study_time: string | null;
  attributes: DicomJson;
}

interface SeriesRow {
  series_uid: string;
  series_number: number | null;
  modality: string | null;
  description: string | null;
  series_date: string | null;
  series_time: string | null;
  attributes: DicomJson;
  instances: { uid: string; sopClass: string; number: number | null }[];
}

function referringName(attributes: DicomJson): string | undefined {
  const v = attributes['00080090']?.Value?.[0] as Record<string, unknown> | undefined;
  const name = v?.['Ideographic'] ?? v?.['Alphabetic'];
  return typeof name === 'string' ? name.replace(/\^+$/, '').replaceAll('^', ' ') : undefined;
}

const opt = <K extends string, V>(key: K, value: V | null | undefined) =>
  (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

function seriesSummary(r: SeriesRow): SeriesSummary {
  return {
    uid: r.series_uid,
    ...opt('number', r.series_number),
    ...opt('modality', r.modality),
    ...opt('description', r.description),
    ...opt('bodyPart', textOf(r.attributes, '00180015')),
    ...opt('seriesDate', r.series_date),
    ...opt('seriesTime', r.series_time),
    numberOfInstances: r.instances.length,
    instances: r.instances.map((i) => ({ uid: i.uid, sopClass: i.sopClass, ...opt('number', i.number) })),
  };
}

/**
 * The study as the index holds it (the ImagingStudy is written from it). The version is read
 * first, so the content is at least that version; counts and modalities are derived from the
 * series and instances read, so they always agree with the lists.
 */
export async function studySummary(q: Queryable, studyUid: string): Promise<StudySummary | undefined> {
  const studies = await q.unsafe<StudyRow[]>(
    `select version, accession, description, study_date::text, study_time::text, attributes from imaging_study where study_uid = $1::text`,
    [studyUid],
  );
  const s = studies[0];
  if (!s) return undefined;
  const series = await q.unsafe<SeriesRow[]>(
    `select r.series_uid, r.series_number, r.modality, r.description, r.series_date::text, r.series_time::text,
       r.attributes,
       coalesce((select jsonb_agg(jsonb_build_object('uid', i.sop_uid, 'sopClass', i.sop_class, 'number', i.instance_number)
         order by i.instance_number nulls last, i.sop_uid)
         from imaging_instance i where i.series_uid = r.series_uid), '[]'::jsonb) as instances
     from imaging_series r where r.study_uid = $1::text
     order by r.series_number nulls last, r.series_uid`,
    [studyUid],
  );
  return {
    studyUid,
    version: s.version,
    ...opt('accession', s.accession),
    ...opt('description', s.description),
    ...opt('studyDate', s.study_date),
    ...opt('studyTime', s.study_time),
    ...opt('timezoneOffset', textOf(s.attributes, '00080201')),
    ...opt('referringPhysician', referringName(s.attributes)),
    modalities: [...new Set(series.flatMap((r) => (r.modality ? [r.modality] : [])))].sort(),
    numberOfSeries: series.length,
    numberOfInstances: series.reduce((n, r) => n + r.instances.length, 0),
    series: series.map(seriesSummary),
  };
}

/** Records that the ImagingStudy now shows `version` (never moving backwards), with its id and labels. */
export async function markSynced(
  q: Queryable,
  sync: { studyUid: string; version: number; imagingStudyId: string; labels: readonly string[] },
): Promise<void> {
  await q.unsafe(
    `update imaging_study set imaging_study_id = $2::text, labels = $3::text[],
       fhir_version = greatest(fhir_version, $4::int4), fhir_synced_at = now()
     where study_uid = $1::text`,
    [sync.studyUid, sync.imagingStudyId, sync.labels.length ? sync.labels : null, sync.version],
  );
}

/** Studies whose ImagingStudy lags behind the index (all, or those given). */
export async function laggingStudies(
  q: Queryable,
  options: { studies?: readonly string[]; limit: number },
): Promise<{ studyUid: string; patientId: string; custodian: string }[]> {
  const rows = await q.unsafe<{ study_uid: string; patient_id: string; custodian: string }[]>(
    `select study_uid, patient_id, custodian from imaging_study
     where fhir_version < version and ($1::text[] is null or study_uid = any($1::text[]))
     order by updated_at limit $2::int4`,
    [options.studies ?? null, options.limit],
  );
  return rows.map((r) => ({ studyUid: r.study_uid, patientId: r.patient_id, custodian: r.custodian }));
}
