import type { Resource } from '@medplum/fhirtypes';
import { AppError, applyFhirPathPatch, applyJsonPatch, isAppError } from '@yiyun/fhir';
import { JSON_PATCH } from '../http/format.ts';
import { parseIfMatch } from '../http/headers.ts';
import { requireResource } from '../http/resource-body.ts';
import { writeResponse } from '../http/write-response.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';
import { conditionFrom, lockAndMatchOne } from './conditional.ts';

/** Without a client `If-Match`, a patch that lost a race is re-applied to the newer version this often. */
const ATTEMPTS_WITHOUT_IF_MATCH = 3;

/**
 * `PATCH [base]/[type]/[id]` with JSON Patch or FHIRPath Patch (http://hl7.org/fhir/R4/http.html#patch).
 * The update carries the version the patch was applied to, so concurrent patches never lose an update.
 */
export async function patchResource(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [type = '', id = ''] = req.parts;
  return patchWithRetry(req, ctx, type, id);
}

/** `PATCH [base]/[type]?criteria`: exactly one match is patched. */
export async function conditionalPatch(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const type = req.parts[0] ?? '';
  const criteria = conditionFrom(req.query);
  const match = await ctx.repo.transaction((tx) => lockAndMatchOne({ ...ctx, repo: tx }, type, criteria));
  if (!match) throw new AppError('not-found', 'No resource matches the conditional patch criteria');
  return patchWithRetry(req, ctx, type, match.id);
}

async function patchWithRetry(
  req: FhirRequest,
  ctx: FhirContext,
  type: string,
  id: string,
): Promise<FhirResponse> {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const attempts = ifMatch === undefined ? ATTEMPTS_WITHOUT_IF_MATCH : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      // Patches of one resource queue on a database lock (across replicas), so they apply in turn
      // instead of failing each other; other writers (PUT) are caught by the version check.
      return await ctx.repo.transaction(async (tx) => {
        await tx.lock(`patch:${type}/${id}`);
        return patchOnce(req, { ...ctx, repo: tx }, { type, id, ifMatch });
      });
    } catch (err) {
      if (attempt >= attempts || !isAppError(err) || err.code !== 'precondition-failed') throw err;
    }
  }
}

async function patchOnce(
  req: FhirRequest,
  ctx: FhirContext,
  target: { type: string; id: string; ifMatch: string | undefined },
): Promise<FhirResponse> {
  const current = await ctx.repo.read(target.type, target.id);
  if (target.ifMatch !== undefined && current.meta.versionId !== target.ifMatch) {
    throw new AppError(
      'precondition-failed',
      `Version ${current.meta.versionId} is current, not the If-Match one`,
    );
  }
  const patched = applyPatchBody(req, current);
  if (patched.resourceType !== target.type || patched.id !== target.id) {
    throw new AppError('unprocessable', 'A patch may not change resourceType or id');
  }
  ctx.validator.assertValid(patched);
  const result = await ctx.repo.update(patched, { ifMatch: current.meta.versionId, allowCreate: false });
  return writeResponse(req, ctx, result.resource, 200);
}

function applyPatchBody(req: FhirRequest, current: Resource): Resource {
  if (req.body === undefined) throw new AppError('invalid', 'A patch body is required');
  if (req.contentType === JSON_PATCH) return applyJsonPatch(current, req.body);
  return applyFhirPathPatch(current, requireResource(req.body, 'Parameters'));
}
