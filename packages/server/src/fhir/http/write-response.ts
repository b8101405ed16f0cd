import { informational } from '@yiyun/fhir';
import type { StoredResource } from '@yiyun/store';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';
import { resourceHeaders } from './headers.ts';
import { parsePrefer } from './prefer.ts';

/** The response to a create/update/patch, shaped by `Prefer: return=…` (http://hl7.org/fhir/R4/http.html#ops). */
export function writeResponse(
  req: FhirRequest,
  ctx: FhirContext,
  stored: StoredResource,
  status: 200 | 201,
): FhirResponse {
  const headers = resourceHeaders(stored, { baseUrl: ctx.config.baseUrl, location: status === 201 });
  const base = { status, headers, lastUpdated: stored.meta.lastUpdated };
  switch (parsePrefer(req.headers['prefer']).return) {
    case 'minimal':
      return base;
    case 'OperationOutcome':
      return { ...base, body: informational(status === 201 ? 'Created' : 'Updated') };
    default:
      return { ...base, body: stored };
  }
}
