import type { StoredResource } from '@yiyun/store';
import { resourceHeaders } from '../http/headers.ts';
import { assertId } from '../http/ids.ts';
import { applyProjection, parseProjection } from '../http/projection.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';

/** `GET [base]/[type]/[id]` (http://hl7.org/fhir/R4/http.html#read), with `_summary`/`_elements`. */
export async function readResource(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [type = '', id = ''] = req.parts;
  const projection = parseProjection(req.query);
  return readResponse(req, ctx, await ctx.repo.read(type, id), projection);
}

/** `GET [base]/[type]/[id]/_history/[vid]` (http://hl7.org/fhir/R4/http.html#vread). */
export async function vreadResource(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [type = '', id = '', , versionId = ''] = req.parts;
  assertId(versionId, 'version id');
  const projection = parseProjection(req.query);
  return readResponse(req, ctx, await ctx.repo.vread(type, id, versionId), projection);
}

function readResponse(
  req: FhirRequest,
  ctx: FhirContext,
  stored: StoredResource,
  projection: ReturnType<typeof parseProjection>,
): FhirResponse {
  const headers = resourceHeaders(stored, { baseUrl: ctx.config.baseUrl });
  // Conditional read (http://hl7.org/fhir/R4/http.html#cread).
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch.replace(/^W\//, '') === `"${stored.meta.versionId}"`) {
    return { status: 304, headers };
  }
  const body = applyProjection(stored, projection, ctx.projector);
  return { status: 200, headers, body, lastUpdated: stored.meta.lastUpdated };
}
