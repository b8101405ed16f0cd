import type { IncludeSpec, SearchParamRegistry } from '@yiyun/fhir';
import { type AccessScope, accessPredicate, arrayParams } from '../access/index.ts';
import { paramKey } from '../indexing/param-key.ts';
import type { StoredResource } from '../repository/port.ts';
import type { Queryable } from '../sql/connect.ts';

interface Found {
  readonly rid: string;
  readonly content: StoredResource;
}

/** Keys of the reference params an include names (`*` = every reference param of the source type). */
function includeKeys(spec: IncludeSpec, registry: SearchParamRegistry): number[] {
  if (spec.param !== '*') return [paramKey(spec.sourceType, spec.param)];
  return registry
    .forType(spec.sourceType)
    .filter((d) => d.type === 'reference')
    .map((d) => paramKey(spec.sourceType, d.code));
}

/** ` and <access predicate>` over `alias`, its values appended to `params`. */
function visible(access: AccessScope | undefined, alias: string, params: unknown[]): string {
  const predicate = accessPredicate(access, alias, arrayParams(params));
  return predicate ? ` and ${predicate}` : '';
}

async function forward(sql: Queryable, spec: IncludeSpec, from: readonly Found[], ctx: IncludeContext) {
  const rids = from.filter((f) => f.content.resourceType === spec.sourceType).map((f) => f.rid);
  if (rids.length === 0) return [];
  const params: unknown[] = [rids, includeKeys(spec, ctx.registry)];
  if (spec.targetType) params.push(spec.targetType);
  const type = spec.targetType ? ' and t.type = $3::text' : '';
  // Targets are found by (type, id) first and fetched once each: no DISTINCT over jsonb. The index
  // columns are collated "C" and resource's are not: without the collate clause the planner cannot
  // use resource's (type, id) key and scans the table (measured: 72 ms → 0.14 ms at 1 M resources).
  return sql.unsafe<Found[]>(
    `select t.rid, t.content from resource t
     where (t.type, t.id) in (
       select s.target_type collate "default", s.target_id collate "default" from sp_reference s
       where s.rid = any($1::int8[]) and s.param = any($2::int4[]) and s.target_id is not null)
     and not t.deleted${type}${visible(ctx.access, 't', params)}`,
    params,
  );
}

interface IncludeContext {
  readonly registry: SearchParamRegistry;
  readonly access?: AccessScope;
}

async function reverse(sql: Queryable, spec: IncludeSpec, from: readonly Found[], ctx: IncludeContext) {
  const targets = spec.targetType ? from.filter((f) => f.content.resourceType === spec.targetType) : from;
  if (targets.length === 0) return [];
  const params: unknown[] = [
    targets.map((f) => f.content.resourceType),
    targets.map((f) => f.content.id),
    includeKeys(spec, ctx.registry),
    spec.sourceType,
  ];
  return sql.unsafe<Found[]>(
    `select r.rid, r.content from resource r
     where r.rid in (
       select s.rid from sp_reference s
       join unnest($1::text[], $2::text[]) as t(type, id) on s.target_id = t.id and s.target_type = t.type
       where s.param = any($3::int4[]))
     and not r.deleted and r.type = $4::text${visible(ctx.access, 'r', params)}`,
    params,
  );
}

const MAX_ITERATIONS = 4;
/** Bound on included resources per page, so that a wide `_include` cannot exhaust memory. */
const MAX_INCLUDED = 5_000;

/**
 * `_include` and `_revinclude` (with `:iterate`, repeated until nothing new appears, at most
 * MAX_ITERATIONS rounds) for one page of matches.
 */
export async function resolveIncludes(
  sql: Queryable,
  matches: readonly Found[],
  specs: { include: readonly IncludeSpec[]; revinclude: readonly IncludeSpec[] },
  registry: SearchParamRegistry,
  access?: AccessScope,
): Promise<StoredResource[]> {
  const ctx: IncludeContext = { registry, ...(access ? { access } : {}) };
  const seen = new Set(matches.map((m) => m.rid));
  const included: Found[] = [];
  let frontier: readonly Found[] = matches;
  for (let round = 0; round < MAX_ITERATIONS && frontier.length > 0; round++) {
    const next: Found[] = [];
    for (const spec of specs.include) {
      if (round > 0 && !spec.iterate) continue;
      next.push(...(await forward(sql, spec, frontier, ctx)));
    }
    for (const spec of specs.revinclude) {
      if (round > 0 && !spec.iterate) continue;
      next.push(...(await reverse(sql, spec, frontier, ctx)));
    }
    const fresh = next.filter((f) => !seen.has(f.rid) && seen.add(f.rid));
    included.push(...fresh);
    if (included.length > MAX_INCLUDED) break;
    frontier = fresh;
  }
  return included.slice(0, MAX_INCLUDED).map((f) => f.content);
}
