import type { OperationDefinition } from '@medplum/fhirtypes';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';

/** Where an operation is invoked (http://hl7.org/fhir/R4/operations.html#invoking). */
export type OperationLevel = 'system' | 'type' | 'instance';

export interface OperationInvocation {
  readonly level: OperationLevel;
  readonly resourceType?: string;
  readonly id?: string;
  readonly request: FhirRequest;
}

/** One `$operation`: a file with its handler and its OperationDefinition beside it. */
export interface OperationSpec {
  /** The code without `$`, e.g. `validate`. */
  readonly name: string;
  readonly levels: readonly OperationLevel[];
  /** Restrict type/instance levels to these types; all types when absent. */
  readonly resourceTypes?: readonly string[];
  /** HTTP methods accepted (GET only for operations that do not change state). */
  readonly methods: readonly ('GET' | 'POST')[];
  /** Published in the CapabilityStatement. */
  readonly definition: OperationDefinition;
  handle(invocation: OperationInvocation, ctx: FhirContext): Promise<FhirResponse>;
}

export interface OperationRegistry {
  find(name: string, level: OperationLevel, resourceType?: string): OperationSpec | undefined;
  list(): readonly OperationSpec[];
}

/** Builds the lookup once; a later spec with the same name replaces an earlier one. */
export function createOperationRegistry(specs: readonly OperationSpec[]): OperationRegistry {
  const byName = new Map<string, OperationSpec>();
  for (const spec of specs) byName.set(spec.name, spec);
  const all = [...byName.values()];
  return {
    find(name, level, resourceType) {
      const spec = byName.get(name);
      if (!spec?.levels.includes(level)) return undefined;
      if (level !== 'system' && spec.resourceTypes && !spec.resourceTypes.includes(resourceType ?? '')) {
        return undefined;
      }
      return spec;
    },
    list: () => all,
  };
}
