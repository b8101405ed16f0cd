import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { renderError } from '../http/errors.ts';
import type { FhirContext, FhirHandler, FhirRequest, FhirResponse } from '../types.ts';
import { toEntryRequest } from './entry-request.ts';
import { errorEntry, toResponseEntry } from './entry-response.ts';

/**
 * `batch` (http://hl7.org/fhir/R4/http.html#transaction): each entry runs on its own, in order; a
 * failure becomes that entry's response with an OperationOutcome and does not stop the others.
 */
export async function processBatch(
  bundle: Bundle,
  req: FhirRequest,
  ctx: FhirContext,
  route: FhirHandler,
): Promise<FhirResponse> {
  const entry: BundleEntry[] = [];
  for (const e of bundle.entry ?? []) {
    try {
      const entryReq = toEntryRequest(e, req, ctx.config.baseUrl);
      if (entryReq.parts.length === 0 && entryReq.method === 'POST') {
        throw new AppError('invalid', 'A bundle entry may not be a batch or transaction');
      }
      const res = await route(entryReq, ctx);
      entry.push(toResponseEntry(res, fullUrlOf(res, ctx.config.baseUrl)));
    } catch (err) {
      const { status, body } = renderError(err, ctx.logger);
      entry.push(errorEntry(status, body));
    }
  }
  return { status: 200, body: responseBundle('batch-response', entry) };
}

export function responseBundle(
  type: 'batch-response' | 'transaction-response',
  entry: BundleEntry[],
): Bundle {
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type,
    entry,
  };
}

/** The absolute URL of the resource a response is about, when it is about one. */
export function fullUrlOf(res: FhirResponse, baseUrl: string): string | undefined {
  const body = res.body;
  if (body?.id && body.resourceType !== 'Bundle' && body.resourceType !== 'OperationOutcome') {
    return `${baseUrl}/${body.resourceType}/${body.id}`;
  }
  return res.headers?.['location']?.replace(/\/_history\/[^/]+$/, '');
}
