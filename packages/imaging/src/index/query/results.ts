import type { DicomJson, DicomJsonElement } from '../../service/port.ts';
import {
  INSTANCE_RETURN_KEYS,
  OPTIONAL_RETURN_KEYS,
  SERIES_RETURN_KEYS,
  STUDY_RETURN_KEYS,
} from '../levels.ts';
import type { CompiledQuery } from './compile.ts';

/** One result row of a compiled query (columns present depend on the level and path). */
export interface ResultRow {
  readonly study_attributes?: DicomJson;
  readonly modalities?: readonly string[];
  readonly num_series?: number;
  readonly study_instances?: number;
  readonly series_attributes?: DicomJson;
  readonly series_instances?: number;
  readonly instance_attributes?: DicomJson;
}

const ONLINE: DicomJsonElement = { vr: 'CS', Value: ['ONLINE'] };
const count = (n: number | undefined): DicomJsonElement => ({ vr: 'IS', Value: [n ?? 0] });

/**
 * Copies into `out` the level's attributes a response needs: its required return keys (empty when
 * absent, PS3.18 §F.2.5), the conditional ones present, the includefield ones present, or
 * everything for `includefield=all`.
 */
function pick(
  out: Record<string, DicomJsonElement>,
  attributes: DicomJson | undefined,
  required: Readonly<Record<string, string>>,
  fields: readonly string[] | 'all',
): void {
  const source = attributes ?? {};
  if (fields === 'all') Object.assign(out, source);
  else
    for (const tag of [...OPTIONAL_RETURN_KEYS, ...fields]) {
      const element = source[tag];
      if (element) out[tag] = element;
    }
  for (const [tag, vr] of Object.entries(required)) {
    if (!out[tag]) out[tag] = source[tag] ?? { vr };
  }
}

function sorted(out: Record<string, DicomJsonElement>): DicomJson {
  const result: DicomJson = {};
  for (const tag of Object.keys(out).sort()) result[tag] = out[tag] as DicomJsonElement;
  return result;
}

function addStudy(
  out: Record<string, DicomJsonElement>,
  row: ResultRow,
  fields: CompiledQuery['includeFields'],
) {
  pick(out, row.study_attributes, STUDY_RETURN_KEYS, fields);
  out['00080061'] = { vr: 'CS', ...(row.modalities?.length ? { Value: [...row.modalities] } : {}) };
  out['00201206'] = count(row.num_series);
  out['00201208'] = count(row.study_instances);
  out['00080056'] = ONLINE;
}

function addSeries(
  out: Record<string, DicomJsonElement>,
  row: ResultRow,
  fields: CompiledQuery['includeFields'],
) {
  pick(out, row.series_attributes, SERIES_RETURN_KEYS, fields);
  out['00201209'] = count(row.series_instances);
}

/** A result row as DICOM JSON (PS3.18 §F.2), attributes in tag order. */
export function toDicomJson(row: ResultRow, compiled: CompiledQuery): DicomJson {
  const out: Record<string, DicomJsonElement> = {};
  const fields = compiled.includeFields;
  switch (compiled.level) {
    case 'study':
      addStudy(out, row, fields);
      break;
    case 'series':
      if (compiled.withStudy) addStudy(out, row, fields);
      addSeries(out, row, fields);
      break;
    case 'instance':
      if (compiled.withStudy) addStudy(out, row, fields);
      if (compiled.withSeries) addSeries(out, row, fields);
      pick(out, row.instance_attributes, INSTANCE_RETURN_KEYS, fields);
      out['00080056'] = ONLINE;
      break;
  }
  return sorted(out);
}
