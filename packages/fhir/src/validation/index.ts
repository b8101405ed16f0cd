export { ensureMedplumDefinitions } from './medplum-index.ts';
export {
  ANY_RESOURCE,
  createFhirSchema,
  type FhirSchema,
  type PropertySpec,
  type TypeSpec,
} from './schema.ts';
export { canonicalUrl, createTerminology, type ExpandedValueSet, type Terminology } from './terminology.ts';
export { createValidator, type Validator, type ValidatorOptions } from './validator.ts';
