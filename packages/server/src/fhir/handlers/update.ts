import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { parseIfMatch } from '../http/headers.ts';
import { requireResource } from '../http/resource-body.ts';
import { writeResponse } from '../http/write-response.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';
import { conditionFrom, lockAndMatchOne } from './conditional.ts';
import { storeNew } from './create.ts';

/** `PUT [base]/[type]/[id]`, update-as-create and `If-Match` (http://hl7.org/fhir/R4/http.html#update). */
export async function updateResource(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [type, id] = req.parts;
  const resource = requireResource(req.body, type);
  if (resource.id === undefined)
    throw new AppError('invalid', 'The resource must have an id matching the URL');
  if (resource.id !== id) throw new AppError('invalid', 'The id in the resource does not match the URL');
  return storeVersion(req, ctx, resource);
}

/** `PUT [base]/[type]?criteria` (http://hl7.org/fhir/R4/http.html#cond-update). */
export async function conditionalUpdate(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const type = req.parts[0] ?? '';
  const resource = requireResource(req.body, type);
  const criteria = conditionFrom(req.query);
  return ctx.repo.transaction(async (tx) => {
    const txCtx = { ...ctx, repo: tx };
    const match = await lockAndMatchOne(txCtx, type, criteria);
    if (!match) {
      // No match: create; with a client id this is update-as-create.
      return resource.id === undefined ? storeNew(req, txCtx, resource) : storeVersion(req, txCtx, resource);
    }
    if (resource.id !== undefined && resource.id !== match.id) {
      throw new AppError('invalid', 'The id in the resource differs from the id of the matched resource');
    }
    return storeVersion(req, txCtx, { ...resource, id: match.id });
  });
}

/** Validates and writes a new version; `If-Match` (header) becomes the repository's `ifMatch`. */
export async function storeVersion(
  req: FhirRequest,
  ctx: FhirContext,
  resource: Resource,
): Promise<FhirResponse> {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  ctx.validator.assertValid(resource);
  const result = await ctx.repo.update(resource, ifMatch === undefined ? {} : { ifMatch });
  return writeResponse(req, ctx, result.resource, result.created ? 201 : 200);
}
