import { AppError, type Filter, type SearchValue } from '@yiyun/fhir';
import { type AccessScope, accessPredicate } from '../access/index.ts';
import { paramKey } from '../indexing/param-key.ts';
import { tableFor, valuePredicate } from './compile-values.ts';
import { hull, intersect, isOpen, type Window, windowFor } from './date-window.ts';
import type { SqlParams } from './sql-params.ts';

/** Where a filter applies: a `resource` row alias and the resource types it may hold. */
export interface FilterScope {
  readonly alias: string;
  readonly types: readonly string[];
  readonly params: SqlParams;
  /** Nesting depth, for unique aliases in sub-selects. */
  readonly depth: number;
  /** The caller's access scope: chained and `_has` targets must be visible too (no existence leaks). */
  readonly access?: AccessScope;
}

/** ` and <access predicate>` over a sub-select's alias, or nothing. */
function visibleIn(alias: string, scope: FilterScope): string {
  const predicate = accessPredicate(scope.access, alias, (v, cast) => scope.params.add(v, cast));
  return predicate ? ` and ${predicate}` : '';
}

/** `param = $k` or `param = any($keys)` for a parameter code over the scope's types. */
export function paramMatch(code: string, scope: FilterScope, column = 's.param'): string {
  const keys = scope.types.map((t) => paramKey(t, code));
  if (keys.length === 1) return `${column} = ${scope.params.add(keys[0], 'int4')}`;
  return `${column} = any(${scope.params.add(keys, 'int4[]')})`;
}

function datePredicateOnColumn(
  col: string,
  v: Extract<SearchValue, { kind: 'date' }>,
  scope: FilterScope,
): string {
  const p = scope.params;
  const lo = () => p.add(v.low, 'timestamptz');
  const hi = () => p.add(v.high, 'timestamptz');
  switch (v.prefix) {
    case 'eq':
    case 'ap':
      return `(${col} >= ${lo()} and ${col} < ${hi()})`;
    case 'ne':
      return `not (${col} >= ${lo()} and ${col} < ${hi()})`;
    case 'gt':
    case 'sa':
      return `${col} >= ${hi()}`;
    case 'ge':
      return `${col} >= ${lo()}`;
    case 'lt':
    case 'eb':
      return `${col} < ${lo()}`;
    case 'le':
      return `${col} < ${hi()}`;
  }
}

function compileParamFilter(filter: Extract<Filter, { kind: 'param' }>, scope: FilterScope): string {
  const { alias } = scope;
  const table = tableFor(filter.param.type);
  const missing = filter.values.find((v) => v.kind === 'missing');
  if (missing && missing.kind === 'missing') {
    const sub = `select s.rid from ${table} s where ${paramMatch(filter.param.code, scope)}`;
    return missing.missing ? `${alias}.rid not in (${sub})` : `${alias}.rid in (${sub})`;
  }
  const modifier = filter.modifier === 'not' ? undefined : filter.modifier;
  const ors = filter.values.map((v) => valuePredicate(v, modifier, scope.params));
  const sub = `select s.rid from ${table} s where ${paramMatch(filter.param.code, scope)} and (${ors.join(' or ')})`;
  return filter.modifier === 'not' ? `${alias}.rid not in (${sub})` : `${alias}.rid in (${sub})`;
}

/** Compiles one filter to a boolean SQL expression over `scope.alias`. */
export function compileFilter(filter: Filter, scope: FilterScope): string {
  const { alias, params: p } = scope;
  switch (filter.kind) {
    case 'param':
      return compileParamFilter(filter, scope);
    case 'id': {
      const expr = `${alias}.id = any(${p.add(filter.ids, 'text[]')})`;
      return filter.not ? `not (${expr})` : expr;
    }
    case 'lastUpdated':
      return `(${filter.values.map((v) => datePredicateOnColumn(`${alias}.last_updated`, v, scope)).join(' or ')})`;
    case 'chain': {
      const t = `t${scope.depth + 1}`;
      const inner: FilterScope = { ...scope, alias: t, types: [filter.targetType], depth: scope.depth + 1 };
      const type = p.add(filter.targetType, 'text');
      return `${alias}.rid in (select s.rid from sp_reference s where ${paramMatch(filter.param.code, scope)}
        and s.target_type = ${type} and s.target_id in (
          select ${t}.id collate "C" from resource ${t} where ${t}.type = ${type} and not ${t}.deleted${visibleIn(t, scope)}
          and ${compileFilter(filter.next, inner)}))`;
    }
    case 'has': {
      const o = `h${scope.depth + 1}`;
      const inner: FilterScope = { ...scope, alias: o, types: [filter.targetType], depth: scope.depth + 1 };
      const refKey = p.add(paramKey(filter.targetType, filter.referenceParam.code), 'int4');
      return `${alias}.id in (select s.target_id collate "default" from sp_reference s where s.param = ${refKey}
        and s.target_type = ${alias}.type collate "C" and s.rid in (
          select ${o}.rid from resource ${o} where ${o}.type = ${p.add(filter.targetType, 'text')}
          and not ${o}.deleted${visibleIn(o, scope)} and ${compileFilter(filter.next, inner)}))`;
    }
    case 'list':
      return `(${alias}.type || '/' || ${alias}.id) in (
        select e->'item'->>'reference' from resource l, jsonb_array_elements(l.content->'entry') e
        where l.type = 'List' and l.id = ${p.add(filter.listId, 'text')} and not l.deleted${visibleIn('l', scope)})`;
    default:
      throw new AppError('unsupported', 'Unsupported search filter');
  }
}

type ParamFilter = Extract<Filter, { kind: 'param' }>;
type DateValue = Extract<SearchValue, { kind: 'date' }>;

/** A plain date filter (no modifier, only dates): these are merged per parameter. */
export function isPlainDateFilter(filter: Filter): filter is ParamFilter {
  return (
    filter.kind === 'param' &&
    filter.param.type === 'date' &&
    filter.modifier === undefined &&
    filter.values.every((v) => v.kind === 'date')
  );
}

/**
 * All plain date filters on one parameter in one sub-select: each filter's values OR-ed, the
 * filters AND-ed on the same index row (as other servers do: `date=ge2024&date=lt2025` is a range
 * over one value), and the window they imply matched through the span index.
 */
export function compileDateGroup(filters: readonly ParamFilter[], scope: FilterScope): string {
  let window: Window | undefined = { low: null, high: null };
  const groups: string[] = [];
  for (const filter of filters) {
    const values = filter.values as readonly DateValue[];
    const own = values.map((v) => windowFor(v.prefix, v.low, v.high)).reduce(hull);
    window = window && intersect(window, own);
    groups.push(`(${values.map((v) => valuePredicate(v, undefined, scope.params)).join(' or ')})`);
  }
  if (!window) return 'false';
  const p = scope.params;
  const span = isOpen(window)
    ? ''
    : ` and tstzrange(least(s.low, s.high), greatest(s.low, s.high), '[]') && tstzrange(${p.add(window.low, 'timestamptz')}, ${p.add(window.high, 'timestamptz')}, '[]')`;
  const code = filters[0]!.param.code;
  return `${scope.alias}.rid in (select s.rid from sp_date s where ${paramMatch(code, scope)}${span} and ${groups.join(' and ')})`;
}
