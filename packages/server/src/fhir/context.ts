import type { SearchParamRegistry } from '@yiyun/fhir';
import type { FhirRepository } from '@yiyun/store';
import type { Logger } from 'pino';
import { buildCapabilityStatement } from './capabilities/build.ts';
import { createOperationRegistry, type OperationSpec } from './operations/registry.ts';
import { validateOperation } from './operations/validate.ts';
import type { FhirConfig, FhirContext, ResourceProjector, ResourceValidator } from './types.ts';

export interface FhirContextOptions {
  readonly repo: FhirRepository;
  readonly registry: SearchParamRegistry;
  readonly validator: ResourceValidator;
  readonly projector: ResourceProjector;
  readonly config: FhirConfig;
  readonly logger: Logger;
  /** Extra operations (`$everything`, `$export` …); one with the name of a built-in replaces it. */
  readonly operations?: readonly OperationSpec[];
}

const ABSTRACT_TYPES: ReadonlySet<string> = new Set(['Resource', 'DomainResource']);

/** Everything static is computed once here (types, operations, CapabilityStatement). */
export function createFhirContext(options: FhirContextOptions): FhirContext {
  const types = options.registry
    .resourceTypes()
    .filter((t) => !ABSTRACT_TYPES.has(t))
    .sort();
  const operations = createOperationRegistry([validateOperation, ...(options.operations ?? [])]);
  return {
    repo: options.repo,
    registry: options.registry,
    validator: options.validator,
    projector: options.projector,
    config: options.config,
    logger: options.logger,
    operations,
    resourceTypes: new Set(types),
    capabilityStatement: buildCapabilityStatement({
      baseUrl: options.config.baseUrl,
      registry: options.registry,
      resourceTypes: types,
      operations: operations.list(),
    }),
  };
}
