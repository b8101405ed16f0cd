import type { Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import type { FhirContext, FhirRequest } from '../../fhir/types.ts';

/**
 * Reads an operation's input: a Parameters body (POST) or query parameters (GET). Shared by the
 * registry and health card operations; the one place their inputs are read.
 */
export function inputParameter(req: FhirRequest, name: string): ParametersParameter | undefined {
  const body = req.body as Parameters | undefined;
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || body.resourceType !== 'Parameters')
      throw new AppError('invalid', 'The operation takes a Parameters resource');
    return body.parameter?.find((p) => p.name === name);
  }
  const value = req.query.get(name);
  return value === null ? undefined : { name, valueString: value };
}

/**
 * A string input, from the query or a Parameters body: `valueString`, `valueCode`, `valueId`, an
 * Identifier's `value` or an integer as text. Present with any other value is `invalid`.
 */
export function stringParameter(req: FhirRequest, name: string): string | undefined {
  const p = inputParameter(req, name);
  if (!p) return undefined;
  const value =
    p.valueString ??
    p.valueCode ??
    p.valueId ??
    p.valueIdentifier?.value ??
    (p.valueInteger !== undefined ? String(p.valueInteger) : undefined);
  // A body is not validated against the definition: `valueString: 5` must not reach the handler.
  if (typeof value !== 'string') throw new AppError('invalid', `Parameter ${name} must be a string`);
  return value;
}

/** A `Patient/<id>` reference (or a bare id) from a Reference or string parameter. */
export function patientIdParameter(req: FhirRequest, name: string): string | undefined {
  const p = inputParameter(req, name);
  const ref = p?.valueReference?.reference ?? p?.valueString;
  if (!ref) return undefined;
  const m = /^(?:Patient\/)?([A-Za-z0-9\-.]{1,64})$/.exec(ref);
  if (!m?.[1]) throw new AppError('invalid', `${name} must reference a Patient`);
  return m[1];
}

/** Registry stewardship (merge, unmerge, review) is the platform operator's. */
export function assertRegistrySteward(ctx: FhirContext): string {
  const authz = ctx.authorization;
  if (authz && !authz.isPlatformOperator)
    throw new AppError(
      'forbidden',
      'Registry stewardship (review, merge, unmerge) is for the platform operator',
    );
  return authz?.principal.subject ?? 'system';
}
