import { AppError, parseSearchRequest } from '@yiyun/fhir';
import type { StoredResource } from '@yiyun/store';
import { assertCleanQuery } from '../http/query.ts';
import type { FhirContext } from '../types.ts';

/**
 * Shared parts of the conditional interactions (http://hl7.org/fhir/R4/http.html#ccreate, #cond-update,
 * #3.1.0.7.1): the criteria are a search; the lock key makes every server process on the database
 * serialise on the same criteria, so two replicas never both create.
 */

/** Parameters that shape the response, not the match. */
const RESULT_PARAMS: ReadonlySet<string> = new Set(['_format', '_pretty', '_summary', '_elements']);

/** The search criteria of a conditional interaction; empty criteria would match everything, so they fail. */
export function conditionFrom(query: URLSearchParams | string): URLSearchParams {
  const source = typeof query === 'string' ? new URLSearchParams(stripToQuery(query)) : query;
  const criteria = new URLSearchParams();
  for (const [k, v] of source) if (!RESULT_PARAMS.has(k)) criteria.append(k, v);
  assertCleanQuery(criteria);
  if ([...criteria.keys()].length === 0) {
    throw new AppError('invalid', 'A conditional interaction needs search criteria');
  }
  return criteria;
}

/** `If-None-Exist` may be `a=b`, `?a=b` or `Type?a=b`. */
function stripToQuery(text: string): string {
  const q = text.indexOf('?');
  return q < 0 ? text : text.slice(q + 1);
}

/** Criteria in a canonical order, so equal searches take the same lock. */
export function normalizeCriteria(criteria: URLSearchParams): string {
  const pairs = [...criteria].sort(([ak, av], [bk, bv]) => (ak === bk ? cmp(av, bv) : cmp(ak, bk)));
  return new URLSearchParams(pairs).toString();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function conditionalLockKey(resourceType: string, criteria: URLSearchParams): string {
  return `cc:${resourceType}:${normalizeCriteria(criteria)}`;
}

/**
 * Up to two matches: enough to tell none, one and many. Unknown parameters are an error here, since
 * ignoring one would widen the match (e.g. delete the wrong resource).
 */
export async function findMatches(
  ctx: FhirContext,
  resourceType: string,
  criteria: URLSearchParams,
): Promise<StoredResource[]> {
  const parsed = parseSearchRequest(resourceType, criteria, ctx.registry, {
    strict: true,
    defaultCount: 2,
    maxCount: 2,
  });
  const result = await ctx.repo.search({
    ...parsed,
    count: 2,
    offset: 0,
    total: 'none',
    include: [],
    revinclude: [],
  });
  return [...result.matches];
}

/** Locks the criteria (inside the caller's transaction) and returns the single match, if any. */
export async function lockAndMatchOne(
  ctx: FhirContext,
  resourceType: string,
  criteria: URLSearchParams,
): Promise<StoredResource | undefined> {
  await ctx.repo.lock(conditionalLockKey(resourceType, criteria));
  const matches = await findMatches(ctx, resourceType, criteria);
  if (matches.length > 1) {
    throw new AppError('precondition-failed', 'The conditional criteria matched more than one resource');
  }
  return matches[0];
}
