import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

/** One NDJSON line as a validated resource, or the reason it was refused. */
export function parseAndValidate(text: string, validate: (r: unknown) => unknown): Resource | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'Malformed JSON';
  }
  try {
    validate(value);
  } catch (err) {
    if (err instanceof AppError) {
      const detail = err.issues.find((i) => i.severity === 'error' || i.severity === 'fatal');
      return detail?.diagnostics ? `${err.message}: ${detail.diagnostics}` : err.message;
    }
    throw err;
  }
  const id = (value as Resource).id;
  if (id !== undefined && (typeof id !== 'string' || !ID_PATTERN.test(id))) {
    return 'Resource id must be 1-64 characters of A-Z, a-z, 0-9, "-" and "."';
  }
  return value as Resource;
}
