import {
  type Bounds,
  hasWildcard,
  isUniversal,
  likePattern,
  parseDateTimeRange,
  parseInteger,
  parseRange,
  parseUidList,
} from '../match-values.ts';
import { fuzzyWords, normaliseGroup } from '../person-name.ts';
import type { MatchKey } from './keys.ts';
import type { AddParam } from './params.ts';

/**
 * One matching key as an SQL condition (PS3.4 §C.2.2.2): undefined for universal matching.
 * Values are always bound parameters; LIKE patterns use `\` as escape character.
 */

/** `col like p`, with the index range in front when the column is collation "C" and the prefix is non-empty. */
function wildcard(column: string, value: string, add: AddParam, indexed: boolean): string {
  const like = likePattern(value);
  const parts: string[] = [];
  if (indexed && like.prefix !== '') {
    parts.push(`${column} >= ${add(like.prefix, 'text')}`);
    if (like.upper !== undefined) parts.push(`${column} < ${add(like.upper, 'text')}`);
  }
  parts.push(`${column} like ${add(like.pattern, 'text')}`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' and ')})`;
}

function single(column: string, value: string, add: AddParam, indexed: boolean): string {
  return hasWildcard(value) ? wildcard(column, value, add, indexed) : `${column} = ${add(value, 'text')}`;
}

function bounded(column: string, bounds: Bounds, cast: string, add: AddParam): string {
  const parts: string[] = [];
  if (bounds.low !== undefined) parts.push(`${column} >= ${add(bounds.low, cast)}`);
  if (bounds.high !== undefined) parts.push(`${column} <= ${add(bounds.high, cast)}`);
  return `(${parts.join(' and ')})`;
}

function codes(column: string, value: string, add: AddParam): string {
  const list = value.split('\\').filter((v) => v !== '');
  if (list.length > 1 && !list.some(hasWildcard)) return `${column} = any(${add(list, 'text[]')})`;
  return `(${list.map((v) => single(column, v, add, false)).join(' or ')})`;
}

function modalities(column: string, value: string, add: AddParam): string {
  const list = value.split('\\').filter((v) => v !== '');
  if (!list.some(hasWildcard)) return `${column} && ${add(list, 'text[]')}`;
  const each = list.map((v) => single('m', v, add, false)).join(' or ');
  return `exists (select 1 from unnest(${column}) m where ${each})`;
}

/** A query group (wildcards kept) in the stored form: lower-cased, trailing empty components dropped. */
function groupValue(group: string): string | undefined {
  return normaliseGroup(group);
}

const NAME_COLUMNS = ['s.pn_alpha', 's.pn_ideo', 's.pn_phon'] as const;

/**
 * Patient's Name: a value without `=` matches any component group (pinyin, 汉字 or phonetic);
 * `Wang^Fang=王^芳` matches each given group against its own. Case-insensitive throughout.
 * `fuzzy` (PS3.18 §8.3.4.1 fuzzymatching) also matches when every word of the value is a prefix
 * of some word of the name, ignoring case, accents, separators and word order (person-name.ts).
 */
function patientName(value: string, add: AddParam, fuzzy: boolean): string | undefined {
  const groups = value.split('=');
  let exact: string | undefined;
  if (groups.length === 1) {
    const g = groupValue(value);
    exact =
      g === undefined ? undefined : `(${NAME_COLUMNS.map((c) => single(c, g, add, true)).join(' or ')})`;
  } else {
    const parts = groups.slice(0, 3).flatMap((group, i) => {
      const g = groupValue(group);
      return g === undefined || isUniversal(g) ? [] : [single(NAME_COLUMNS[i] as string, g, add, true)];
    });
    exact = parts.length ? `(${parts.join(' and ')})` : undefined;
  }
  if (!fuzzy || exact === undefined) return exact;
  const words = fuzzyWords(value);
  if (words.length === 0) return exact;
  const each = words.map((w) => `s.pn_fuzzy like ${add(`% ${likePattern(w).pattern}%`, 'text')}`);
  return `(${exact} or (${each.join(' and ')}))`;
}

/** Other PN attributes: any group (or the given groups) of a three-element array, case-insensitive. */
function nameArray(column: string, value: string, add: AddParam): string | undefined {
  const groups = value.split('=');
  if (groups.length === 1) {
    const g = groupValue(value);
    if (g === undefined) return undefined;
    return `exists (select 1 from unnest(${column}) g where ${single('g', g, add, false)})`;
  }
  const parts = groups.slice(0, 3).flatMap((group, i) => {
    const g = groupValue(group);
    return g === undefined || isUniversal(g) ? [] : [single(`${column}[${i + 1}]`, g, add, false)];
  });
  return parts.length ? `(${parts.join(' and ')})` : undefined;
}

export interface ConditionInput {
  readonly tag: string;
  readonly key: MatchKey;
  readonly value: string;
  readonly fuzzy: boolean;
}

/** Kinds whose backslash-separated values are alternatives (VM delimiter, PS3.5 §6.4; repeated QIDO keys). */
const LISTS: ReadonlySet<MatchKey['kind']> = new Set(['string', 'patient-name', 'name-array']);

/** The condition of one matching key, or undefined when it matches everything. */
export function compileCondition(input: ConditionInput, add: AddParam): string | undefined {
  const value = input.value.trim();
  if (isUniversal(value)) return undefined;
  if (LISTS.has(input.key.kind) && value.includes('\\')) {
    const each = value.split('\\').map((v) => compileOne({ ...input, value: v.trim() }, add));
    return each.includes(undefined) ? undefined : `(${each.join(' or ')})`;
  }
  return compileOne({ ...input, value }, add);
}

function compileOne(input: ConditionInput, add: AddParam): string | undefined {
  const { tag, key, fuzzy, value } = input;
  if (isUniversal(value)) return undefined;
  const { column } = key;
  switch (key.kind) {
    case 'uid': {
      const uids = parseUidList(tag, value);
      return uids.length === 1
        ? `${column} = ${add(uids[0], 'text')}`
        : `${column} = any(${add(uids, 'text[]')})`;
    }
    case 'string':
      return single(column, value, add, key.indexed === true);
    case 'code':
      return codes(column, value, add);
    case 'modalities':
      return modalities(column, value, add);
    case 'patient-name':
      return patientName(value, add, fuzzy);
    case 'name-array':
      return nameArray(column, value, add);
    case 'date':
      return bounded(column, parseRange(tag, value, 'date'), 'date', add);
    case 'time':
      return bounded(column, parseRange(tag, value, 'time'), 'time', add);
    case 'datetime':
      return bounded(column, parseDateTimeRange(tag, value), 'timestamp', add);
    case 'integer':
      return `${column} = ${add(parseInteger(tag, value), 'int4')}`;
  }
}
