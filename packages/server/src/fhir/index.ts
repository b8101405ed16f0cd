export { buildCapabilityStatement, type CapabilityInput } from './capabilities/build.ts';
export { createFhirContext, type FhirContextOptions } from './context.ts';
export { dispatch } from './dispatch.ts';
export {
  createOperationRegistry,
  type OperationInvocation,
  type OperationLevel,
  type OperationRegistry,
  type OperationSpec,
} from './operations/registry.ts';
export { validateOperation } from './operations/validate.ts';
export { FHIR_BASE_PATH, fhirRoutes } from './routes/routes.ts';
export type {
  FhirConfig,
  FhirContext,
  FhirHandler,
  FhirRequest,
  FhirResponse,
  ResourceProjector,
  ResourceValidator,
  SummaryMode,
} from './types.ts';
