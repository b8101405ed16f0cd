import {
  AppError,
  compartmentParams,
  type Filter,
  type SearchParamRegistry,
  type SearchRequest,
  type SortKey,
} from '@yiyun/fhir';
import { type AccessScope, accessPredicate } from '../access/index.ts';
import { paramKey } from '../indexing/param-key.ts';
import { compileDateGroup, compileFilter, type FilterScope, isPlainDateFilter } from './compile-filter.ts';
import { SqlParams } from './sql-params.ts';

export interface CompiledSearch {
  /** `from resource r where …` shared by the page query and the count. */
  readonly from: string;
  readonly orderBy: string;
  readonly params: SqlParams;
  readonly types: readonly string[];
}

const SORT_COLUMNS: Record<string, [asc: string, desc: string]> = {
  token: ['min(s.code)', 'max(s.code)'],
  string: ['min(s.normalized)', 'max(s.normalized)'],
  date: ['min(s.low)', 'max(s.high)'],
  number: ['min(s.value)', 'max(s.value)'],
  quantity: ['min(s.value)', 'max(s.value)'],
  reference: ['min(s.target_id)', 'max(s.target_id)'],
  uri: ['min(s.value)', 'max(s.value)'],
};

function sortExpression(key: SortKey, scope: FilterScope): string {
  const dir = key.descending ? 'desc' : 'asc';
  if (key.param === '_id') return `r.id ${dir}`;
  if (key.param === '_lastUpdated') return `r.last_updated ${dir}`;
  const type = key.def?.type;
  const cols = type ? SORT_COLUMNS[type] : undefined;
  if (!cols) throw new AppError('invalid', `Cannot sort by ${key.param}`);
  const keys = scope.types.map((t) => paramKey(t, key.param));
  const agg = key.descending ? cols[1] : cols[0];
  return `(select ${agg} from sp_${type} s where s.rid = r.rid and s.param = any(${scope.params.add(keys, 'int4[]')})) ${dir} nulls last`;
}

function compartmentClause(request: SearchRequest, scope: FilterScope): string | undefined {
  const compartment = request.compartment;
  if (!compartment) return undefined;
  const keys: number[] = [];
  for (const type of scope.types) {
    for (const code of compartmentParams(compartment.type, type)) keys.push(paramKey(type, code));
  }
  const p = scope.params;
  const members = compartment.members;
  const id = members ? `any(${p.add(members, 'text[]')})` : p.add(compartment.id, 'text');
  const type = p.add(compartment.type, 'text');
  // The compartment's own resource joins as a second branch of one IN list: an OR beside the
  // sub-select would stop the planner from using it as a semi-join (measured: 42 ms → 0.5 ms).
  const branches: string[] = [];
  if (keys.length > 0) {
    branches.push(
      `select s.rid from sp_reference s where s.target_id = ${id} and s.target_type = ${type} and s.param = any(${p.add(keys, 'int4[]')})`,
    );
  }
  if (scope.types.includes(compartment.type)) {
    branches.push(`select o.rid from resource o where o.type = ${type} and o.id = ${id}`);
  }
  return branches.length ? `r.rid in (${branches.join(' union all ')})` : 'false';
}

/** Compiles a parsed search request into SQL over `resource r`. */
export function compileSearch(
  request: SearchRequest,
  registry: SearchParamRegistry,
  access?: AccessScope,
): CompiledSearch {
  const params = new SqlParams();
  const types: readonly string[] = request.resourceType
    ? [request.resourceType]
    : request.types?.length
      ? request.types
      : registry.resourceTypes();
  const scope: FilterScope = { alias: 'r', types, params, depth: 0, ...(access ? { access } : {}) };
  const where: string[] = ['not r.deleted'];
  const visible = accessPredicate(access, 'r', (v, cast) => params.add(v, cast));
  if (visible) where.push(visible);
  if (request.resourceType) where.push(`r.type = ${params.add(request.resourceType, 'text')}`);
  else if (request.types?.length) where.push(`r.type = any(${params.add(request.types, 'text[]')})`);
  const compartment = compartmentClause(request, scope);
  if (compartment) where.push(compartment);
  const dateGroups = new Map<string, Extract<Filter, { kind: 'param' }>[]>();
  for (const filter of request.filters) {
    if (!isPlainDateFilter(filter)) {
      where.push(compileFilter(filter, scope));
      continue;
    }
    const group = dateGroups.get(filter.param.code) ?? [];
    group.push(filter);
    dateGroups.set(filter.param.code, group);
  }
  for (const group of dateGroups.values()) where.push(compileDateGroup(group, scope));
  const order = request.sort.map((key) => sortExpression(key, scope));
  order.push('r.rid');
  return { from: `from resource r where ${where.join(' and ')}`, orderBy: order.join(', '), params, types };
}
