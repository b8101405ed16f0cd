import { AppError } from '../errors/index.ts';
import { parseFilter } from './parse-filter.ts';
import { splitEscaped, unescapeValue } from './parse-values.ts';
import type { Filter, IncludeSpec, SearchParamRegistry, SearchRequest, SortKey, TotalMode } from './types.ts';

/**
 * Parses a FHIR search URL query into a SearchRequest (http://hl7.org/fhir/R4/search.html).
 * Every malformed input becomes AppError('invalid' | 'unsupported') naming the parameter.
 */

export interface ParseSearchOptions {
  /** `Prefer: handling=strict`: unknown parameters are an error instead of being ignored. */
  readonly strict?: boolean;
  readonly compartment?: { readonly type: string; readonly id: string };
  readonly defaultCount?: number;
  readonly maxCount?: number;
}

/** HTTP-layer parameters: accepted and ignored here. */
const IGNORED = new Set(['_format', '_pretty']);
/** Recognised but not supported: reported in `unknown` (or rejected when strict). */
const UNSUPPORTED = new Set(['_contained', '_containedType', '_text', '_content', '_query', '_filter']);
const SUMMARY = new Set(['true', 'text', 'data', 'count', 'false']);
const TOTAL = new Set(['none', 'estimate', 'accurate']);

function invalid(message: string): AppError {
  return new AppError('invalid', message);
}

function parseNonNegativeInt(name: string, raw: string): number {
  if (!/^\d{1,9}$/.test(raw))
    throw invalid(`Invalid value for '${name}': '${raw}' is not a non-negative integer`);
  return Number(raw);
}

interface Builder {
  filters: Filter[];
  sort: SortKey[];
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
  unknown: string[];
  count?: number;
  offset?: number;
  total?: TotalMode;
  summary?: SearchRequest['summary'];
  elements?: string[];
  types?: string[];
}

/** The type whose parameters apply: the searched type, the single `_type`, or `Resource` for system search. */
function effectiveType(resourceType: string | null, types: readonly string[] | undefined): string {
  if (resourceType) return resourceType;
  return types?.length === 1 ? (types[0] as string) : 'Resource';
}

export function parseSearchRequest(
  resourceType: string | null,
  params: URLSearchParams,
  registry: SearchParamRegistry,
  options: ParseSearchOptions = {},
): SearchRequest {
  if (resourceType !== null && !registry.resourceTypes().includes(resourceType)) {
    throw new AppError('not-found', `Unknown resource type '${resourceType}'`);
  }
  const b: Builder = { filters: [], sort: [], include: [], revinclude: [], unknown: [] };
  const typeParam = params.getAll('_type');
  if (typeParam.length > 0) b.types = parseTypes(registry, typeParam);
  const type = effectiveType(resourceType, b.types);
  for (const [key, raw] of params) {
    if (key === '_type' || IGNORED.has(key)) continue;
    if (!handleResultParam(b, registry, type, key, raw)) handleFilter(b, registry, type, key, raw, options);
  }
  const maxCount = options.maxCount ?? 1000;
  const count = Math.min(b.count ?? options.defaultCount ?? 20, maxCount);
  return {
    resourceType,
    ...(b.types ? { types: b.types } : {}),
    filters: b.filters,
    sort: b.sort,
    count,
    offset: b.offset ?? 0,
    total: b.total ?? (b.summary === 'count' ? 'accurate' : 'none'),
    include: b.include,
    revinclude: b.revinclude,
    ...(b.summary ? { summary: b.summary } : {}),
    ...(b.elements ? { elements: b.elements } : {}),
    ...(options.compartment ? { compartment: options.compartment } : {}),
    unknown: b.unknown,
  };
}

function handleFilter(
  b: Builder,
  registry: SearchParamRegistry,
  type: string,
  key: string,
  raw: string,
  options: ParseSearchOptions,
): void {
  const code = key.split(/[:.]/)[0] ?? key;
  if (code === '_list') {
    if (!/^[A-Za-z0-9\-.$]{1,64}$/.test(raw))
      throw invalid(`Invalid value for '_list': '${raw}' is not a List id`);
    b.filters.push({ kind: 'list', listId: raw });
    return;
  }
  const result = UNSUPPORTED.has(code)
    ? { unknown: key }
    : parseFilter({ registry, depth: 0 }, type, key, raw);
  if ('filter' in result) {
    b.filters.push(result.filter);
    return;
  }
  if (options.strict) throw invalid(`Unknown search parameter '${key}' for ${type}`);
  b.unknown.push(key);
}

/** Handles `_sort`, `_count`, `_include` …; returns false when `key` is a filter parameter. */
function handleResultParam(
  b: Builder,
  registry: SearchParamRegistry,
  type: string,
  key: string,
  raw: string,
): boolean {
  const [name = '', modifier] = key.split(':', 2);
  switch (name) {
    case '_sort':
      b.sort.push(...parseSort(registry, type, raw));
      return true;
    case '_count':
      b.count = parseNonNegativeInt('_count', raw);
      return true;
    case '_offset':
      b.offset = parseNonNegativeInt('_offset', raw);
      return true;
    case '_total':
      if (!TOTAL.has(raw)) throw invalid(`Invalid value for '_total': expected none, estimate or accurate`);
      b.total = raw as TotalMode;
      return true;
    case '_summary':
      if (!SUMMARY.has(raw))
        throw invalid(`Invalid value for '_summary': expected true, text, data, count or false`);
      b.summary = raw as SearchRequest['summary'];
      return true;
    case '_elements':
      b.elements = [...(b.elements ?? []), ...parseElements(raw)];
      return true;
    case '_include':
    case '_revinclude': {
      if (modifier !== undefined && modifier !== 'iterate' && modifier !== 'recurse') {
        throw invalid(`Unknown modifier ':${modifier}' for '${name}'`);
      }
      const specs = splitEscaped(raw, ',').map((v) =>
        parseInclude(registry, name, type, unescapeValue(v), modifier !== undefined),
      );
      (name === '_include' ? b.include : b.revinclude).push(...specs);
      return true;
    }
    default:
      return false;
  }
}

function parseTypes(registry: SearchParamRegistry, values: readonly string[]): string[] {
  const types = values.flatMap((v) => v.split(',')).map((t) => t.trim());
  for (const t of types)
    if (!registry.resourceTypes().includes(t))
      throw invalid(`Invalid value for '_type': unknown resource type '${t}'`);
  return types;
}

function parseSort(registry: SearchParamRegistry, type: string, raw: string): SortKey[] {
  return raw.split(',').map((item) => {
    const descending = item.startsWith('-');
    const param = descending ? item.slice(1) : item;
    if (param === '_id' || param === '_lastUpdated') return { param, descending };
    const def = registry.get(type, param);
    if (!def || def.type === 'composite' || def.type === 'special')
      throw invalid(`Invalid value for '_sort': '${param}' is not a sortable search parameter of ${type}`);
    return { param, def, descending };
  });
}

function parseElements(raw: string): string[] {
  const names = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  for (const n of names)
    if (!/^([A-Z][A-Za-z]+\.)?[a-z][A-Za-z0-9]*(\[x\])?$/.test(n))
      throw invalid(`Invalid value for '_elements': '${n}'`);
  return names;
}

/** `Type:param[:targetType]` or `*` (http://hl7.org/fhir/R4/search.html#include). */
function parseInclude(
  registry: SearchParamRegistry,
  name: string,
  type: string,
  value: string,
  iterate: boolean,
): IncludeSpec {
  if (value === '*') return { sourceType: name === '_include' ? type : '*', param: '*', iterate };
  const [sourceType = '', param = '', targetType, extra] = value.split(':');
  if (extra !== undefined || !sourceType || !param)
    throw invalid(`Invalid value for '${name}': expected Type:parameter[:targetType], got '${value}'`);
  if (!registry.resourceTypes().includes(sourceType))
    throw invalid(`Invalid value for '${name}': unknown resource type '${sourceType}'`);
  if (param !== '*') {
    const def = registry.get(sourceType, param);
    if (def?.type !== 'reference')
      throw invalid(`Invalid value for '${name}': '${param}' is not a reference parameter of ${sourceType}`);
    if (targetType !== undefined && def.target && !def.target.includes(targetType)) {
      throw invalid(`Invalid value for '${name}': ${targetType} is not a target of ${sourceType}.${param}`);
    }
  }
  if (targetType !== undefined && !registry.resourceTypes().includes(targetType)) {
    throw invalid(`Invalid value for '${name}': unknown resource type '${targetType}'`);
  }
  return targetType === undefined
    ? { sourceType, param, iterate }
    : { sourceType, param, targetType, iterate };
}
