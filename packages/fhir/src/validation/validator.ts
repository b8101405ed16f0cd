import { evalFhirPath, OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors/index.ts';
import { walkResource } from './binding-check.ts';
import { ensureMedplumDefinitions } from './medplum-index.ts';
import { createFhirSchema, type FhirSchema } from './schema.ts';
import { createTerminology, type ExpandedValueSet } from './terminology.ts';

/** Validates FHIR R4 resources: Medplum's structural validator plus required bindings and choice conflicts. */
export interface Validator {
  /** All findings (errors and warnings) for a resource, as OperationOutcome issues with FHIRPath `expression`. */
  validate(resource: unknown): OperationOutcomeIssue[];
  /** Throws AppError('invalid', msg, { issues }) if any issue has severity error/fatal. Returns warnings otherwise. */
  assertValid(resource: unknown): OperationOutcomeIssue[];
  /** Required-binding value sets that could not be expanded locally (external code systems): not checked. */
  unexpandableValueSets(): string[];
}

export interface ValidatorOptions {
  /** Share one compiled schema between the validator and the projector. */
  readonly schema?: FhirSchema;
}

// Medplum only warns on these; we report them as errors of our own (see binding-check.ts).
const MEDPLUM_CHOICE_WARNING = 'Conflicting choice of type properties';

function structureError(text: string, expression?: string): OperationOutcomeIssue {
  return {
    severity: 'error',
    code: 'structure',
    details: { text },
    ...(expression ? { expression: [expression] } : {}),
  };
}

// R4 base64Binary allows whitespace (line-wrapped MIME base64, http://hl7.org/fhir/R4/datatypes.html#base64Binary);
// Medplum rejects it, and so would reject official examples such as Binary-example.
const MEDPLUM_BASE64_ERROR = 'Invalid base64Binary format';
const BASE64_CHARS = /^[0-9a-zA-Z+/=]+$/;

/** R4's `(\s*([0-9a-zA-Z\+/=]){4}\s*)+`, checked in linear time (the regex backtracks badly on long input). */
function isR4Base64(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  return compact.length % 4 === 0 && BASE64_CHARS.test(compact);
}

function isWrappedBase64Only(resource: Resource, issue: OperationOutcomeIssue): boolean {
  const expression = issue.expression?.[0];
  if (issue.details?.text !== MEDPLUM_BASE64_ERROR || expression === undefined) return false;
  try {
    const values = evalFhirPath(expression, resource);
    return values.length > 0 && values.every((v) => typeof v === 'string' && isR4Base64(v));
  } catch {
    return false;
  }
}

function medplumIssues(resource: Resource): OperationOutcomeIssue[] {
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    issues = err.outcome.issue ?? [];
  }
  return issues.filter(
    (i) => !i.details?.text?.startsWith(MEDPLUM_CHOICE_WARNING) && !isWrappedBase64Only(resource, i),
  );
}

function expandBindings(schema: FhirSchema): {
  bindings: Map<string, ExpandedValueSet>;
  unexpandable: string[];
} {
  const terminology = createTerminology(schema.terminologyResources);
  const bindings = new Map<string, ExpandedValueSet>();
  const unexpandable = new Set<string>();
  for (const type of schema.types.values()) {
    for (const prop of type.properties.values()) {
      const url = prop.requiredValueSet;
      if (url === undefined || bindings.has(url) || unexpandable.has(url)) continue;
      const vs = terminology.expand(url);
      if (vs) bindings.set(url, vs);
      else unexpandable.add(url);
    }
  }
  return { bindings, unexpandable: [...unexpandable].sort() };
}

function compile(schema: FhirSchema) {
  ensureMedplumDefinitions(schema.structureDefinitions);
  return { types: schema.types, ...expandBindings(schema) };
}

/** Builds a validator. Slow (about a second: indexes definitions and expands value sets): call once and pass it on. */
export function createValidator(options: ValidatorOptions = {}): Validator {
  // Only the compiled types stay referenced: the definitions they came from (~80 MB of heap) are
  // left to the collector, which makes every full GC of a busy server cheaper.
  const { types, bindings, unexpandable } = compile(options.schema ?? createFhirSchema());
  const ctx = { types, bindings };

  const validate = (resource: unknown): OperationOutcomeIssue[] => {
    if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
      return [structureError('A resource must be a JSON object')];
    }
    const record = resource as Record<string, unknown>;
    const resourceType = record.resourceType;
    if (typeof resourceType !== 'string') return [structureError('Missing resourceType')];
    if (!types.get(resourceType)?.isResource) {
      return [structureError(`Unknown resourceType "${resourceType}"`, 'resourceType')];
    }
    const issues = medplumIssues(resource as Resource);
    walkResource(ctx, record, resourceType, issues);
    return issues;
  };

  return {
    validate,
    assertValid(resource) {
      const issues = validate(resource);
      const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
      if (errors.length > 0) {
        const first = errors[0]?.details?.text ?? 'Invalid resource';
        const suffix = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
        throw new AppError('invalid', `Invalid resource: ${first}${suffix}`, { issues });
      }
      return issues;
    },
    unexpandableValueSets: () => [...unexpandable],
  };
}
