import { AppError } from '@yiyun/fhir';
import type { ImagingQuery, QueryLevel } from '../../service/port.ts';
import { INSTANCE_RETURN_KEYS, OPTIONAL_RETURN_KEYS } from '../levels.ts';
import { parseUidList } from '../match-values.ts';
import { compileCondition } from './conditions.ts';
import { appliesAt, MATCH_KEYS } from './keys.ts';
import { Params } from './params.ts';
import { STUDY_SOURCE, type Viewer, visibility } from './visibility.ts';

/** Results per page unless the query says otherwise, and the most one query returns (PS3.18 §8.3.4.4). */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 5000;

export interface CompiledQuery {
  readonly text: string;
  readonly values: unknown[];
  readonly level: QueryLevel;
  /** Which higher levels' attributes the response carries (PS3.18 §10.6.3.3: not those fixed by the path). */
  readonly withStudy: boolean;
  readonly withSeries: boolean;
  readonly includeFields: readonly string[] | 'all';
}

const TAG = /^[0-9A-F]{8}$/;

/** Includefield tags, upper-cased; a sequence path (`00400275.00400009`) includes its top sequence. */
export function includeTags(fields: readonly string[] | 'all'): readonly string[] | 'all' {
  if (fields === 'all') return 'all';
  const tags = new Set<string>();
  for (const field of fields) {
    const tag = (field.split('.')[0] ?? '').toUpperCase();
    if (!TAG.test(tag)) throw new AppError('invalid', `includefield '${field}' is not an attribute tag`);
    tags.add(tag);
  }
  return [...tags];
}

function paging(query: ImagingQuery): { limit: number; offset: number } {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1)
    throw new AppError('invalid', `limit must be a positive integer`);
  if (!Number.isInteger(offset) || offset < 0)
    throw new AppError('invalid', `offset must be a non-negative integer`);
  return { limit: Math.min(limit, MAX_LIMIT), offset };
}

/** Every supported matching key of the query as conditions; unsupported keys are ignored (PS3.18 §8.3.4.1). */
function conditions(query: ImagingQuery, p: Params): string[] {
  const out: string[] = [];
  if (query.study !== undefined)
    out.push(`s.study_uid = ${p.add(parseUidList('0020000D', query.study)[0], 'text')}`);
  if (query.series !== undefined)
    out.push(`r.series_uid = ${p.add(parseUidList('0020000E', query.series)[0], 'text')}`);
  for (const [raw, value] of query.match) {
    const tag = raw.toUpperCase();
    const key = MATCH_KEYS[tag];
    if (!key || !appliesAt(key, query.level)) continue;
    const condition = compileCondition({ tag, key, value, fuzzy: query.fuzzyMatching }, p.add);
    if (condition !== undefined) out.push(condition);
  }
  return out;
}

const STUDY_ORDER = 's.study_date desc nulls last, s.study_time desc nulls last, s.study_uid';
const SERIES_ORDER = 'r.series_number nulls last, r.series_uid';
const INSTANCE_ORDER = 'i.instance_number nulls last, i.sop_uid';

/** The instance's metadata, cut down in SQL to the keys a response needs (all of it for `includefield=all`). */
function instanceAttributes(fields: readonly string[] | 'all', p: Params): string {
  if (fields === 'all') return 'i.metadata';
  const keys = [...new Set([...Object.keys(INSTANCE_RETURN_KEYS), ...OPTIONAL_RETURN_KEYS, ...fields])];
  return `(select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) from jsonb_each(i.metadata) e
    where e.key = any(${p.add(keys, 'text[]')}))`;
}

/**
 * An ImagingQuery as ONE parameterised statement at its level, access-filtered, in a deterministic
 * order (studies newest first, then by UID; series and instances by number, then UID), paged.
 * Higher levels fixed by the path are not returned again; others are (relational queries).
 */
export function compileQuery(query: ImagingQuery, viewer: Viewer): CompiledQuery {
  const p = new Params();
  const includeFields = includeTags(query.includeFields);
  const where = conditions(query, p);
  const visible = visibility(viewer, 's', p.add);
  if (visible) where.push(visible);
  const { limit, offset } = paging(query);
  const level = query.level;
  const withStudy = level !== 'study' && query.study === undefined;
  const withSeries = level === 'instance' && query.series === undefined;
  const studyCols =
    's.study_uid, s.attributes as study_attributes, s.modalities, s.num_series, s.num_instances as study_instances';
  const seriesCols = 'r.series_uid, r.attributes as series_attributes, r.num_instances as series_instances';
  let select: string;
  let from: string;
  let order: string;
  if (level === 'study') {
    select = studyCols;
    from = `${STUDY_SOURCE} s`;
    order = STUDY_ORDER;
  } else if (level === 'series') {
    select = withStudy ? `${seriesCols}, ${studyCols}` : seriesCols;
    from = `imaging_series r join ${STUDY_SOURCE} s on s.study_uid = r.study_uid`;
    order = withStudy ? `${STUDY_ORDER}, ${SERIES_ORDER}` : SERIES_ORDER;
  } else {
    const cols = [`i.sop_uid, ${instanceAttributes(includeFields, p)} as instance_attributes`];
    if (withSeries) cols.push(seriesCols);
    if (withStudy) cols.push(studyCols);
    select = cols.join(', ');
    from = `imaging_instance i join imaging_series r on r.series_uid = i.series_uid
      join ${STUDY_SOURCE} s on s.study_uid = i.study_uid`;
    order = [withStudy ? STUDY_ORDER : '', withSeries || withStudy ? SERIES_ORDER : '', INSTANCE_ORDER]
      .filter((o) => o !== '')
      .join(', ');
  }
  const text = `select s.study_uid as audit_study, s.patient_id as audit_patient, ${select} from ${from}
    ${where.length ? `where ${where.join('\n and ')}` : ''}
    order by ${order} limit ${p.add(limit, 'int4')} offset ${p.add(offset, 'int4')}`;
  return { text, values: p.values, level, withStudy, withSeries, includeFields };
}
