import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { outcome, parseSearchRequest, type SearchRequest } from '@yiyun/fhir';
import type { StoredResource } from '@yiyun/store';
import { buildPagingLinks } from '../http/links.ts';
import { parsePrefer } from '../http/prefer.ts';
import { applyProjection, type Projection } from '../http/projection.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';

export interface SearchScope {
  /** The type searched; null for a system search (`_type` narrows it). */
  readonly resourceType: string | null;
  readonly compartment?: { readonly type: string; readonly id: string };
  /** Path segments of the endpoint, for paging links (`['Patient']`, `['Patient','1','Observation']`). */
  readonly path: readonly string[];
}

/** Response-format parameters that are not search parameters. */
const FORMAT_PARAMS: ReadonlySet<string> = new Set(['_format', '_pretty']);

/**
 * Type, system and compartment search (http://hl7.org/fhir/R4/http.html#search,
 * http://hl7.org/fhir/R4/search.html): a `searchset` Bundle with match/include/outcome entries.
 */
export async function searchResources(
  req: FhirRequest,
  ctx: FhirContext,
  scope: SearchScope,
): Promise<FhirResponse> {
  const params = new URLSearchParams();
  for (const [k, v] of req.query) if (!FORMAT_PARAMS.has(k)) params.append(k, v);
  const parsed = parseSearchRequest(scope.resourceType, params, ctx.registry, {
    strict: parsePrefer(req.headers['prefer']).handling === 'strict',
    ...(scope.compartment ? { compartment: scope.compartment } : {}),
    defaultCount: ctx.config.defaultCount,
    maxCount: ctx.config.maxCount,
  });
  const countOnly = parsed.summary === 'count';
  const request: SearchRequest = countOnly
    ? { ...parsed, count: 0, total: 'accurate', include: [], revinclude: [] }
    : parsed;
  const result = await ctx.repo.search(request);
  const projection: Projection = {
    ...(parsed.summary !== undefined && parsed.summary !== 'false' ? { summary: parsed.summary } : {}),
    ...(parsed.elements ? { elements: parsed.elements } : {}),
  };
  const base = ctx.config.baseUrl;
  const entry: BundleEntry[] = [
    ...result.matches.map((r) => searchEntry(r, 'match', base, projection, ctx)),
    ...result.included.map((r) => searchEntry(r, 'include', base, projection, ctx)),
  ];
  if (parsed.unknown.length > 0) entry.push(unknownParamsEntry(parsed.unknown));
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    ...(result.total === undefined ? {} : { total: result.total }),
    link: buildPagingLinks({
      url: [base, ...scope.path.map(encodeURIComponent)].join('/'),
      params,
      offset: request.offset,
      count: parsed.count,
      hasMore: !countOnly && result.hasMore,
    }),
    ...(entry.length > 0 ? { entry } : {}),
  };
  return { status: 200, body: bundle };
}

function searchEntry(
  resource: StoredResource,
  mode: 'match' | 'include',
  base: string,
  projection: Projection,
  ctx: FhirContext,
): BundleEntry {
  const projected: Resource = applyProjection(resource, projection, ctx.projector);
  return {
    fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
    resource: projected,
    search: { mode },
  };
}

/** Unknown parameters are ignored with a warning (http://hl7.org/fhir/R4/search.html#errors). */
function unknownParamsEntry(unknown: readonly string[]): BundleEntry {
  const names = unknown.slice(0, 20).map((n) => JSON.stringify(n.slice(0, 64)));
  return {
    resource: outcome([
      {
        severity: 'warning',
        code: 'not-supported',
        diagnostics: `Unknown search parameters ignored: ${names.join(', ')}`,
      },
    ]),
    search: { mode: 'outcome' },
  };
}
