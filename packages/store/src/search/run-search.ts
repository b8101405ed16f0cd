import type { SearchParamRegistry, SearchRequest } from '@yiyun/fhir';
import type { AccessScope } from '../access/index.ts';
import type { SearchResult, StoredResource } from '../repository/port.ts';
import type { Queryable } from '../sql/connect.ts';
import { type CompiledSearch, compileSearch } from './compile-search.ts';
import { resolveIncludes } from './includes.ts';

async function countMatches(sql: Queryable, compiled: CompiledSearch, mode: SearchRequest['total']) {
  if (mode === 'estimate') {
    const plan = await sql.unsafe<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[]>(
      `explain (format json) select 1 ${compiled.from}`,
      compiled.params.values,
    );
    return Math.round(plan[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0);
  }
  const rows = await sql.unsafe<{ n: string }[]>(
    `select count(*) as n ${compiled.from}`,
    compiled.params.values,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Runs a parsed search: one page of matches, the total when asked, and includes. */
export async function runSearch(
  sql: Queryable,
  request: SearchRequest,
  registry: SearchParamRegistry,
  access?: AccessScope,
): Promise<SearchResult> {
  const compiled = compileSearch(request, registry, access);
  const countOnly = request.summary === 'count' || request.count === 0;
  const total =
    request.total === 'none' && !countOnly ? undefined : await countMatches(sql, compiled, request.total);
  if (countOnly) return { matches: [], included: [], total: total ?? 0, hasMore: false };
  const p = compiled.params;
  const values = [...p.values, request.count + 1, request.offset];
  const n = p.values.length;
  const rows = await sql.unsafe<{ rid: string; content: StoredResource }[]>(
    `select r.rid, r.content ${compiled.from} order by ${compiled.orderBy} limit $${n + 1}::int4 offset $${n + 2}::int4`,
    values,
  );
  const page = rows.slice(0, request.count);
  const included =
    request.include.length || request.revinclude.length
      ? await resolveIncludes(sql, page, request, registry, access)
      : [];
  const result = { matches: page.map((r) => r.content), included, hasMore: rows.length > request.count };
  return total === undefined ? result : { ...result, total };
}
