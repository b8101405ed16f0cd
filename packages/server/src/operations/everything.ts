import { randomUUID } from 'node:crypto';
import type { Bundle, OperationDefinition } from '@medplum/fhirtypes';
import { AppError, compartmentParams, dateRange, type IncludeSpec, type SearchRequest } from '@yiyun/fhir';
import { buildPagingLinks } from '../fhir/http/links.ts';
import type { OperationSpec } from '../fhir/operations/registry.ts';
import type { FhirContext, FhirRequest } from '../fhir/types.ts';

/** http://hl7.org/fhir/R4/patient-operation-everything.html */
const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  url: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
  name: 'everything',
  status: 'active',
  kind: 'operation',
  code: 'everything',
  resource: ['Patient'],
  system: false,
  type: false,
  instance: true,
  parameter: [
    { name: '_since', use: 'in', min: 0, max: '1', type: 'instant' },
    { name: '_type', use: 'in', min: 0, max: '*', type: 'code' },
    { name: '_count', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle' },
  ],
};

/**
 * A regional record in one page: the portal draws a person's whole timeline (thousands of entries)
 * from one `$everything` (issue #7: ≤ 2 round trips), whatever the search page limit.
 */
const EVERYTHING_PAGE = 5000;

function intParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new AppError('invalid', `${name} must be a non-negative integer`);
  return Math.min(n, max);
}

function buildRequest(id: string, query: URLSearchParams, ctx: FhirContext): SearchRequest {
  const types = query
    .getAll('_type')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  for (const type of types)
    if (!ctx.resourceTypes.has(type)) throw new AppError('invalid', `_type: unknown type ${type}`);
  const sinceRaw = query.get('_since');
  const since = sinceRaw ? dateRange(sinceRaw) : undefined;
  if (sinceRaw && !since) throw new AppError('invalid', `_since is not an instant: ${sinceRaw}`);
  return {
    resourceType: null,
    ...(types.length ? { types } : {}),
    compartment: { type: 'Patient', id },
    filters: since
      ? [{ kind: 'lastUpdated', values: [{ kind: 'date', prefix: 'ge', low: since.low, high: since.high }] }]
      : [],
    sort: [],
    count: intParam(query, '_count', EVERYTHING_PAGE, Math.max(ctx.config.maxCount, EVERYTHING_PAGE)),
    offset: intParam(query, '_offset', 0, Number.MAX_SAFE_INTEGER),
    total: 'none',
    include: [],
    revinclude: [],
    unknown: [],
  };
}

function compartmentMemberTypes(ctx: FhirContext): string[] {
  return [...ctx.resourceTypes].filter((t) => t === 'Patient' || compartmentParams('Patient', t).length > 0);
}

/**
 * `Patient/[id]/$everything`: the patient, every resource in its compartment, and what those
 * reference (practitioners, organizations, medications), paged.
 */
async function handle(req: FhirRequest, id: string, ctx: FhirContext) {
  await ctx.repo.read('Patient', id);
  const request = buildRequest(id, req.query, ctx);
  // Everything the page's resources reference (one include per compartment type: types absent from
  // the page cost nothing).
  const include: IncludeSpec[] = compartmentMemberTypes(ctx).map((sourceType) => ({
    sourceType,
    param: '*',
    iterate: false,
  }));
  const page = await ctx.repo.search({ ...request, include });
  const base = ctx.config.baseUrl;
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    link: buildPagingLinks({
      url: `${base}/Patient/${encodeURIComponent(id)}/$everything`,
      params: req.query,
      offset: request.offset,
      count: request.count,
      hasMore: page.hasMore,
    }),
    entry: [
      ...page.matches.map((resource) => ({
        fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' as const },
      })),
      ...page.included.map((resource) => ({
        fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'include' as const },
      })),
    ],
  };
  return { status: 200, body: bundle };
}

export const everythingOperation: OperationSpec = {
  name: 'everything',
  levels: ['instance'],
  resourceTypes: ['Patient'],
  methods: ['GET', 'POST'],
  definition,
  handle: (invocation, ctx) => handle(invocation.request, invocation.id!, ctx),
};
