import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';

/** Checks that a body is a resource of the type the URL names (http://hl7.org/fhir/R4/http.html#create). */
export function requireResource(body: unknown, resourceType?: string): Resource {
  if (body === undefined || body === null) throw new AppError('invalid', 'A resource body is required');
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid', 'The body must be a JSON object with a resourceType');
  }
  const type = (body as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string' || type === '') throw new AppError('invalid', 'The body has no resourceType');
  if (resourceType !== undefined && type !== resourceType) {
    throw new AppError('invalid', `resourceType ${safe(type)} does not match the URL type ${resourceType}`);
  }
  return body as Resource;
}

/** Echoes client text in a message only in a bounded, inert form. */
export function safe(text: string): string {
  const cut = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return JSON.stringify(cut);
}
