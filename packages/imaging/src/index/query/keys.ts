import type { QueryLevel } from '../../service/port.ts';

/**
 * The matching keys the index answers (PS3.18 Table 10.6.1-5/6/7 "required matching keys" and
 * some commonly sent optional ones), the level they belong to and how they match. Any other key
 * is ignored, as PS3.18 §8.3.4.1 allows for unsupported attributes. Aliases: `s` study, `r`
 * series, `i` instance.
 */
export type KeyKind =
  /** UI: single value or UID list (PS3.4 §C.2.2.2.2). */
  | 'uid'
  /** LO / SH, case-sensitive: single value or wildcard; `indexed` columns get a prefix range. */
  | 'string'
  /** CS: single value, backslash list (any of) or wildcard. */
  | 'code'
  /** Patient's Name: three group columns and the fuzzy form. */
  | 'patient-name'
  /** Other PN: a text[] of the three normalised groups (nulls kept in place). */
  | 'name-array'
  | 'date'
  | 'time'
  | 'datetime'
  | 'integer'
  /** ModalitiesInStudy: the study's modalities array (any listed value, GIN). */
  | 'modalities';

export interface MatchKey {
  readonly level: QueryLevel;
  readonly column: string;
  readonly kind: KeyKind;
  /** A collation "C" btree column: a wildcard prefix compiles to a range scan. */
  readonly indexed?: boolean;
}

export const MATCH_KEYS: Readonly<Record<string, MatchKey>> = {
  '0020000D': { level: 'study', column: 's.study_uid', kind: 'uid' },
  '00080020': { level: 'study', column: 's.study_date', kind: 'date' },
  '00080030': { level: 'study', column: 's.study_time', kind: 'time' },
  '00080050': { level: 'study', column: 's.accession', kind: 'string', indexed: true },
  '00080061': { level: 'study', column: 's.modalities', kind: 'modalities' },
  '00080090': { level: 'study', column: 's.referring_pn', kind: 'name-array' },
  '00081030': { level: 'study', column: 's.description', kind: 'string' },
  '00100010': { level: 'study', column: 's.pn', kind: 'patient-name' },
  '00100020': { level: 'study', column: 's.dicom_patient_id', kind: 'string', indexed: true },
  '00100021': { level: 'study', column: 's.issuer', kind: 'string' },
  '00100030': { level: 'study', column: 's.birth_date', kind: 'date' },
  '00100040': { level: 'study', column: 's.sex', kind: 'code' },
  '00200010': { level: 'study', column: 's.study_id', kind: 'string', indexed: true },
  '00080021': { level: 'series', column: 'r.series_date', kind: 'date' },
  '00080031': { level: 'series', column: 'r.series_time', kind: 'time' },
  '00080060': { level: 'series', column: 'r.modality', kind: 'code' },
  '0008103E': { level: 'series', column: 'r.description', kind: 'string' },
  '0020000E': { level: 'series', column: 'r.series_uid', kind: 'uid' },
  '00200011': { level: 'series', column: 'r.series_number', kind: 'integer' },
  '00400244': { level: 'series', column: 'r.pps_date', kind: 'date' },
  '00400245': { level: 'series', column: 'r.pps_time', kind: 'time' },
  '00080016': { level: 'instance', column: 'i.sop_class', kind: 'uid' },
  '00080018': { level: 'instance', column: 'i.sop_uid', kind: 'uid' },
  '0008002A': { level: 'instance', column: 'i.acquisition_datetime', kind: 'datetime' },
  '00200013': { level: 'instance', column: 'i.instance_number', kind: 'integer' },
  '00280008': { level: 'instance', column: 'i.number_of_frames', kind: 'integer' },
  '00280010': { level: 'instance', column: 'i.pixel_rows', kind: 'integer' },
  '00280011': { level: 'instance', column: 'i.pixel_columns', kind: 'integer' },
};

const DEPTH: Readonly<Record<QueryLevel, number>> = { study: 0, series: 1, instance: 2 };

/** Keys of the query's level or above apply (relational queries, PS3.18 §10.6.1.2); lower ones are ignored. */
export function appliesAt(key: MatchKey, level: QueryLevel): boolean {
  return DEPTH[key.level] <= DEPTH[level];
}
