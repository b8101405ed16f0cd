import type { Resource } from '@medplum/fhirtypes';
import { requireResource } from '../http/resource-body.ts';
import { writeResponse } from '../http/write-response.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';
import { conditionFrom, lockAndMatchOne } from './conditional.ts';

/** `POST [base]/[type]`, with `If-None-Exist` (http://hl7.org/fhir/R4/http.html#create, #ccreate). */
export async function createResource(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const type = req.parts[0] ?? '';
  const resource = requireResource(req.body, type);
  const condition = req.headers['if-none-exist'];
  if (condition === undefined || condition.trim() === '') return storeNew(req, ctx, resource);
  const criteria = conditionFrom(condition);
  return ctx.repo.transaction(async (tx) => {
    const txCtx = { ...ctx, repo: tx };
    const existing = await lockAndMatchOne(txCtx, type, criteria);
    if (existing) return writeResponse(req, txCtx, existing, 200);
    return storeNew(req, txCtx, resource);
  });
}

/**
 * Validates and creates. The server assigns the id (a client id is ignored, as the spec says) unless
 * `assignedId` is given by a transaction that pre-assigned it to rewrite references.
 */
export async function storeNew(
  req: FhirRequest,
  ctx: FhirContext,
  resource: Resource,
  assignedId?: string,
): Promise<FhirResponse> {
  ctx.validator.assertValid(resource);
  const { id: _ignored, ...rest } = resource;
  const toStore = (assignedId === undefined ? rest : { ...rest, id: assignedId }) as Resource;
  const { resource: stored } = await ctx.repo.create(
    toStore,
    assignedId === undefined ? {} : { keepId: true },
  );
  return writeResponse(req, ctx, stored, 201);
}
