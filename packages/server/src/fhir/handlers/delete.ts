import { informational } from '@yiyun/fhir';
import { parsePrefer } from '../http/prefer.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';
import { conditionFrom, lockAndMatchOne } from './conditional.ts';

/** `DELETE [base]/[type]/[id]` (http://hl7.org/fhir/R4/http.html#delete): soft delete, idempotent. */
export async function deleteResource(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [type = '', id = ''] = req.parts;
  await ctx.repo.delete(type, id);
  return deletedResponse(req, 'Deleted');
}

/**
 * `DELETE [base]/[type]?criteria` (http://hl7.org/fhir/R4/http.html#3.1.0.7.1). Single-match semantics:
 * none → nothing to do, one → deleted, several → 412 (CapabilityStatement says `conditionalDelete: single`).
 */
export async function conditionalDelete(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const type = req.parts[0] ?? '';
  const criteria = conditionFrom(req.query);
  return ctx.repo.transaction(async (tx) => {
    const match = await lockAndMatchOne({ ...ctx, repo: tx }, type, criteria);
    if (!match) return deletedResponse(req, 'No resource matched; nothing deleted');
    await tx.delete(type, match.id);
    return deletedResponse(req, 'Deleted');
  });
}

function deletedResponse(req: FhirRequest, message: string): FhirResponse {
  if (parsePrefer(req.headers['prefer']).return === 'minimal') return { status: 204 };
  return { status: 200, body: informational(message) };
}
