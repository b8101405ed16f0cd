import { AppError } from '@yiyun/fhir';
import { safe } from '../http/resource-body.ts';
import type { OperationLevel } from '../operations/registry.ts';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';

/** `[base]/$op`, `[base]/[type]/$op`, `[base]/[type]/[id]/$op` (http://hl7.org/fhir/R4/operations.html). */
export async function invokeOperation(
  req: FhirRequest,
  ctx: FhirContext,
  level: OperationLevel,
): Promise<FhirResponse> {
  const at = level === 'system' ? 0 : level === 'type' ? 1 : 2;
  const name = (req.parts[at] ?? '').slice(1);
  const resourceType = level === 'system' ? undefined : req.parts[0];
  const spec = ctx.operations.find(name, level, resourceType);
  if (!spec) throw new AppError('not-found', `Operation $${safe(name)} is not supported here`);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (!spec.methods.some((m) => m === method)) {
    throw new AppError('method-not-allowed', `$${name} does not accept ${safe(req.method)}`);
  }
  const id = level === 'instance' ? req.parts[1] : undefined;
  return spec.handle(
    {
      level,
      request: req,
      ...(resourceType === undefined ? {} : { resourceType }),
      ...(id === undefined ? {} : { id }),
    },
    ctx,
  );
}
