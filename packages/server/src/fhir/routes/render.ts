import { FHIR_JSON_UTF8 } from '../http/format.ts';
import type { FhirResponse } from '../types.ts';

/** A handler's response as HTTP: FHIR JSON, pretty when `_pretty=true`, no body for HEAD/204/304. */
export function renderResponse(res: FhirResponse, options: { pretty: boolean; head: boolean }): Response {
  const headers = new Headers(res.headers);
  if (res.body === undefined || res.status === 204 || res.status === 304) {
    return new Response(null, { status: res.status, headers });
  }
  headers.set('content-type', FHIR_JSON_UTF8);
  const text = JSON.stringify(res.body, null, options.pretty ? 2 : undefined);
  return new Response(options.head ? null : text, { status: res.status, headers });
}
