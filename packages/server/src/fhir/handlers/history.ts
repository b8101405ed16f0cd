import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { HistoryEntry } from '@yiyun/store';
import { etagOf } from '../http/headers.ts';
import { buildPagingLinks } from '../http/links.ts';
import { parseCount, parseInstantParam, parseOffset } from '../http/paging.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';

/**
 * `GET [base]/_history`, `[base]/[type]/_history`, `[base]/[type]/[id]/_history`
 * (http://hl7.org/fhir/R4/http.html#history): newest first, `_since`, `_count`, offset paging.
 */
export async function history(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const historyAt = req.parts.indexOf('_history');
  const [type, id] = req.parts.slice(0, historyAt);
  if (req.query.has('_at')) throw new AppError('unsupported', '_at is not supported on history');
  const count = parseCount(req.query, ctx.config);
  const offset = parseOffset(req.query);
  const since = parseInstantParam(req.query, '_since');
  const result = await ctx.repo.history({
    ...(type === undefined ? {} : { resourceType: type }),
    ...(id === undefined ? {} : { id }),
    ...(since === undefined ? {} : { since }),
    count,
    offset,
  });
  const base = ctx.config.baseUrl;
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'history',
    total: result.total,
    link: buildPagingLinks({
      url: [base, ...req.parts.map(encodeURIComponent)].join('/'),
      params: req.query,
      offset,
      count,
      hasMore: result.hasMore,
    }),
    entry: result.entries.map((e) => historyEntry(e, base)),
  };
  return { status: 200, body: bundle };
}

const STATUS: Readonly<Record<HistoryEntry['method'], string>> = {
  POST: '201 Created',
  PUT: '200 OK',
  DELETE: '204 No Content',
};

function historyEntry(e: HistoryEntry, base: string): BundleEntry {
  return {
    fullUrl: `${base}/${e.resourceType}/${e.id}`,
    ...(e.resource ? { resource: e.resource } : {}),
    request: { method: e.method, url: e.method === 'POST' ? e.resourceType : `${e.resourceType}/${e.id}` },
    response: { status: STATUS[e.method], etag: etagOf(e.versionId), lastModified: e.lastUpdated },
  };
}
