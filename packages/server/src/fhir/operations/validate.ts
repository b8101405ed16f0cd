import type { OperationDefinition, Parameters, Resource, ResourceType } from '@medplum/fhirtypes';
import { AppError, outcome } from '@yiyun/fhir';
import { requireResource } from '../http/resource-body.ts';
import type { FhirContext, FhirResponse } from '../types.ts';
import type { OperationInvocation, OperationSpec } from './registry.ts';

/** http://hl7.org/fhir/R4/resource-operation-validate.html */
const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'Resource-validate',
  url: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
  name: 'Validate',
  status: 'active',
  kind: 'operation',
  code: 'validate',
  // The official definition lists the abstract `Resource`, which the generated type does not include.
  resource: ['Resource' as string as ResourceType],
  system: false,
  type: true,
  instance: true,
  parameter: [
    { name: 'resource', use: 'in', min: 0, max: '1', type: 'Resource' },
    { name: 'mode', use: 'in', min: 0, max: '1', type: 'code' },
    { name: 'profile', use: 'in', min: 0, max: '1', type: 'uri' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'OperationOutcome' },
  ],
};

/**
 * `$validate`: the outcome is the answer, so invalid input still gets 200 with error issues; only a
 * request that names no resource at all is a 400.
 */
async function handle(inv: OperationInvocation, ctx: FhirContext): Promise<FhirResponse> {
  const resource = await resourceToValidate(inv, ctx);
  const issues = ctx.validator.validate(resource);
  const body =
    issues.length > 0
      ? outcome(issues)
      : outcome([{ severity: 'information', code: 'informational', diagnostics: 'No issues found' }]);
  return { status: 200, body };
}

async function resourceToValidate(inv: OperationInvocation, ctx: FhirContext): Promise<Resource> {
  const body = inv.request.body;
  if (body === undefined) {
    if (inv.level === 'instance' && inv.resourceType && inv.id)
      return ctx.repo.read(inv.resourceType, inv.id);
    throw new AppError('invalid', '$validate needs a resource');
  }
  const resource = requireResource(body);
  const target = resource.resourceType === 'Parameters' ? fromParameters(resource as Parameters) : resource;
  if (inv.resourceType !== undefined && target.resourceType !== inv.resourceType) {
    throw new AppError('invalid', `$validate on ${inv.resourceType} got a ${target.resourceType}`);
  }
  return target;
}

function fromParameters(params: Parameters): Resource {
  const resource = params.parameter?.find((p) => p.name === 'resource')?.resource;
  if (!resource) throw new AppError('invalid', 'Parameters has no "resource" parameter');
  return resource;
}

export const validateOperation: OperationSpec = {
  name: 'validate',
  levels: ['type', 'instance'],
  methods: ['POST', 'GET'],
  definition,
  handle,
};
