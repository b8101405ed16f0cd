import type { FhirContext, FhirRequest, FhirResponse } from '../types.ts';

/** `GET [base]/metadata` (http://hl7.org/fhir/R4/http.html#capabilities). `mode=terminology` is not offered. */
export async function capabilities(_req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  return { status: 200, body: ctx.capabilityStatement };
}
