import { AppError } from '@yiyun/fhir';
import { tagOf, vrOf } from '../dicom/index.ts';
import type { ImagingQuery, QueryLevel } from '../service/port.ts';

/**
 * QIDO-RS query parameters (PS3.18 §8.3.4) → `ImagingQuery`. Attribute IDs are keywords or tags
 * (`PatientName=王*`, `00100020=123`); `includefield` repeats or takes a comma list or `all`;
 * `fuzzymatching`, `limit`, `offset`. Parameters that apply to every transaction (`accept`, `charset`,
 * §8.3.3) are left to the route. Unknown attribute IDs are a 400; unknown `includefield` names only a
 * Warning (§8.3.4.3: the origin server ignores attributes it does not support and says so).
 */
export interface ParsedQuery {
  readonly query: ImagingQuery;
  /** Texts for `Warning: 299` headers. */
  readonly warnings: readonly string[];
}

export interface QueryScope {
  readonly level: QueryLevel;
  readonly study?: string;
  readonly series?: string;
}

const GENERIC_PARAMS = new Set(['accept', 'charset']);
const UID_LIST = /^\d+(\.\d+)+(,\d+(\.\d+)+)+$/;

export function parseQidoQuery(params: URLSearchParams, scope: QueryScope): ParsedQuery {
  const match = new Map<string, string>();
  const includeFields: string[] = [];
  const warnings: string[] = [];
  let all = false;
  let fuzzyMatching = false;
  let limit: number | undefined;
  let offset: number | undefined;
  for (const [key, value] of params) {
    switch (key.toLowerCase()) {
      case 'includefield':
        all = parseIncludeField(value, includeFields, warnings) || all;
        break;
      case 'fuzzymatching':
        fuzzyMatching = parseBoolean(key, value);
        break;
      case 'limit':
        limit = parseCount(key, value, 1);
        break;
      case 'offset':
        offset = parseCount(key, value, 0);
        break;
      default:
        if (GENERIC_PARAMS.has(key.toLowerCase())) break;
        addMatch(match, includeFields, key, value);
    }
  }
  const query: ImagingQuery = {
    level: scope.level,
    match,
    ...(scope.study === undefined ? {} : { study: scope.study }),
    ...(scope.series === undefined ? {} : { series: scope.series }),
    includeFields: all ? 'all' : [...new Set(includeFields)],
    fuzzyMatching,
    ...(limit === undefined ? {} : { limit }),
    ...(offset === undefined ? {} : { offset }),
  };
  return { query, warnings };
}

/** Adds the names of one `includefield` value; true when it says `all`. */
function parseIncludeField(value: string, into: string[], warnings: string[]): boolean {
  let all = false;
  for (const name of value.split(',').map((s) => s.trim())) {
    if (name === '') continue;
    if (name.toLowerCase() === 'all') {
      all = true;
      continue;
    }
    const tag = attributeTag(name);
    if (tag === undefined)
      warnings.push(`includefield ${quoted(name)} is not a known attribute and was ignored`);
    else into.push(tag);
  }
  return all;
}

function addMatch(match: Map<string, string>, includeFields: string[], key: string, value: string): void {
  if (key.includes('.')) {
    throw new AppError(
      'invalid',
      `sequence matching (${quoted(key)}) is not supported: match top-level attributes`,
    );
  }
  const tag = attributeTag(key);
  if (tag === undefined)
    throw new AppError('invalid', `${quoted(key)} is not a known DICOM attribute keyword or tag`);
  // Universal matching (PS3.4 §C.2.2.2.3): an empty value asks for the attribute to be returned.
  if (value === '') {
    includeFields.push(tag);
    return;
  }
  const normalised = normaliseValue(tag, value);
  const previous = match.get(tag);
  // A repeated key is a list of values (PS3.18 §8.3.4.1), as is a comma list of UIDs; both become
  // DICOM's backslash-separated multiple values (UID list matching, PS3.4 §C.2.2.2.2).
  match.set(tag, previous === undefined ? normalised : `${previous}\\${normalised}`);
}

function normaliseValue(tag: string, value: string): string {
  const isUidList = vrOf(tag) === 'UI' ? value.includes(',') : UID_LIST.test(value);
  return isUidList
    ? value
        .split(',')
        .map((s) => s.trim())
        .join('\\')
    : value;
}

/** A keyword or tag as 8 upper-case hex digits; private and unknown keywords are undefined. */
function attributeTag(id: string): string | undefined {
  return /^[0-9A-Za-z(),]+$/.test(id) ? tagOf(id) : undefined;
}

function parseBoolean(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new AppError('invalid', `${key} must be true or false`);
}

function parseCount(key: string, value: string, min: number): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
    throw new AppError('invalid', `${key} must be an integer ≥ ${min}`);
  }
  return Number(value);
}

/** Quotes a client-sent name for a message, cut short and stripped of control characters. */
function quoted(s: string): string {
  const clean = s.replace(/[\p{Cc}"]/gu, '');
  return `"${clean.length > 64 ? `${clean.slice(0, 64)}…` : clean}"`;
}
