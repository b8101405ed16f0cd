import type { BundleEntry } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { FHIR_JSON, JSON_PATCH } from '../http/format.ts';
import { assertCleanQuery } from '../http/query.ts';
import type { FhirRequest } from '../types.ts';

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** An entry's request in the form the handlers take (http://hl7.org/fhir/R4/bundle.html#transaction). */
export function toEntryRequest(entry: BundleEntry, outer: FhirRequest, baseUrl: string): FhirRequest {
  const method = entry.request?.method;
  const url = entry.request?.url;
  if (typeof method !== 'string' || !METHODS.has(method) || typeof url !== 'string' || url === '') {
    throw new AppError('invalid', 'entry.request needs a method (GET, POST, PUT, PATCH, DELETE) and a url');
  }
  const { parts, query } = splitEntryUrl(url, baseUrl);
  const headers: Record<string, string | undefined> = {
    prefer: outer.headers['prefer'],
    'if-none-exist': entry.request?.ifNoneExist,
    'if-match': entry.request?.ifMatch,
    'if-none-match': entry.request?.ifNoneMatch,
  };
  const { body, contentType } = entryBody(entry, method);
  return {
    method,
    parts,
    query,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(contentType === undefined ? {} : { contentType }),
  };
}

/** `Patient/1?x=y`, `/Patient/1` or `[base]/Patient/1` into path parts and query. */
export function splitEntryUrl(url: string, baseUrl: string): { parts: string[]; query: URLSearchParams } {
  let path = url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length + 1) : url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) throw new AppError('invalid', 'entry.request.url must be relative');
  path = path.replace(/^\/+/, '');
  const q = path.indexOf('?');
  const query = new URLSearchParams(q < 0 ? '' : path.slice(q + 1));
  assertCleanQuery(query);
  const rawParts = (q < 0 ? path : path.slice(0, q)).split('/').filter((p) => p !== '');
  try {
    return { parts: rawParts.map(decodeURIComponent), query };
  } catch {
    throw new AppError('invalid', 'entry.request.url is not correctly percent-encoded');
  }
}

/** PATCH entries carry JSON Patch as a Binary, or FHIRPath Patch as Parameters (http://hl7.org/fhir/R4/http.html#patch). */
function entryBody(entry: BundleEntry, method: string): { body?: unknown; contentType?: string } {
  const resource = entry.resource;
  if (resource === undefined) return {};
  if (method !== 'PATCH' || resource.resourceType !== 'Binary')
    return { body: resource, contentType: FHIR_JSON };
  if (typeof resource.data !== 'string') throw new AppError('invalid', 'A Binary patch needs data');
  try {
    return {
      body: JSON.parse(Buffer.from(resource.data, 'base64').toString('utf8')),
      contentType: JSON_PATCH,
    };
  } catch {
    throw new AppError('invalid', 'The Binary patch data is not base64 JSON');
  }
}
