export { compartmentParams, compartmentTypes, patientCompartmentParams } from './compartments.ts';
export type { Evaluator, TypedNode } from './expression.ts';
export { extractIndexEntries } from './extract.ts';
export { dateRange, decimalRange, normalizeText } from './normalize.ts';
export { type ParseSearchOptions, parseSearchRequest } from './parse-request.ts';
export {
  type CompiledParam,
  type CompiledSearchParamRegistry,
  createSearchParamRegistry,
  validateCustomSearchParameter,
} from './registry.ts';
export { createSwappableRegistry, type SwappableRegistry } from './swappable-registry.ts';
export type * from './types.ts';
