/**
 * The one shape of the health card operations' OperationDefinitions (FHIR R4 §6.1.1,
 * http://hl7.org/fhir/R4/operationdefinition.html), and the levels the operation registry routes,
 * taken from the same list so the two cannot disagree.
 */
import type { OperationDefinition, OperationDefinitionParameter } from '@medplum/fhirtypes';
import type { OperationLevel, OperationSpec } from '../fhir/operations/registry.ts';

type ParameterType = NonNullable<OperationDefinitionParameter['type']>;
/** A parameter without its `use`, which the list it is in gives. */
type Parameter = Omit<OperationDefinitionParameter, 'use'>;

/** Exactly one value. */
export const required = (name: string, type: ParameterType): Parameter => ({ name, min: 1, max: '1', type });
/** At most one value. */
export const optional = (name: string, type: ParameterType): Parameter => ({ name, min: 0, max: '1', type });

export interface HealthCardOperationDescription {
  /** The code without `$`, e.g. `health-card-issue`. */
  readonly code: string;
  /** Chinese name first, then English in brackets. */
  readonly title: string;
  readonly description: string;
  /** `type` and `instance` are on Patient. */
  readonly levels: readonly OperationLevel[];
  /** Declared `affectsState: false` (may be invoked with GET); absent when the call changes state. */
  readonly readOnly?: boolean;
  readonly in: readonly Parameter[];
  readonly out: readonly Parameter[];
}

/** `name`, `levels`, `resourceTypes` and `definition` of an `OperationSpec`; the op adds methods and handler. */
export function describeHealthCardOperation(
  op: HealthCardOperationDescription,
): Pick<OperationSpec, 'name' | 'levels' | 'resourceTypes' | 'definition'> {
  const onPatient = op.levels.includes('type') || op.levels.includes('instance');
  const definition: OperationDefinition = {
    resourceType: 'OperationDefinition',
    // Operations that exist only on Patient carry the type in their URL, as FHIR's own do (Patient-everything).
    url: `https://yiyun.dev/fhir/OperationDefinition/${op.levels.includes('system') ? '' : 'Patient-'}${op.code}`,
    name: op.code.replace(/(?:^|-)(.)/g, (_, c: string) => c.toUpperCase()),
    title: op.title,
    status: 'active',
    kind: 'operation',
    code: op.code,
    ...(onPatient ? { resource: ['Patient'] } : {}),
    system: op.levels.includes('system'),
    type: op.levels.includes('type'),
    instance: op.levels.includes('instance'),
    ...(op.readOnly ? { affectsState: false } : {}),
    description: op.description,
    parameter: [
      ...op.in.map(({ name, ...p }) => ({ name, use: 'in' as const, ...p })),
      ...op.out.map(({ name, ...p }) => ({ name, use: 'out' as const, ...p })),
    ],
  };
  return {
    name: op.code,
    levels: op.levels,
    ...(onPatient ? { resourceTypes: ['Patient'] } : {}),
    definition,
  };
}
