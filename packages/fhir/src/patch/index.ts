export { applyFhirPathPatch } from './fhirpath-patch.ts';
export { type FhirPathPatchOperation, type PatchValue, parseFhirPathPatch } from './fhirpath-patch-params.ts';
export { applyJsonPatch, type JsonPatchOperation, parseJsonPatch } from './json-patch.ts';
