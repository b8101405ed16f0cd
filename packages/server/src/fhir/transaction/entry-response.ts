import type { BundleEntry, BundleEntryResponse, OperationOutcome } from '@medplum/fhirtypes';
import type { FhirResponse } from '../types.ts';

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

export function statusLine(status: number): string {
  const reason = REASONS[status];
  return reason === undefined ? String(status) : `${status} ${reason}`;
}

/** A handler's response as a `transaction-response`/`batch-response` entry. */
export function toResponseEntry(res: FhirResponse, fullUrl?: string): BundleEntry {
  const response: BundleEntryResponse = { status: statusLine(res.status) };
  const location = res.headers?.['location'];
  const etag = res.headers?.['etag'];
  if (location !== undefined) response.location = location;
  if (etag !== undefined) response.etag = etag;
  if (res.lastUpdated !== undefined) response.lastModified = res.lastUpdated;
  // Errors and `Prefer: return=OperationOutcome` answers go in response.outcome (http://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.response.outcome).
  if (res.body?.resourceType === 'OperationOutcome') {
    response.outcome = res.body;
    return { ...(fullUrl === undefined ? {} : { fullUrl }), response };
  }
  return {
    ...(fullUrl === undefined ? {} : { fullUrl }),
    ...(res.body === undefined ? {} : { resource: res.body }),
    response,
  };
}

/** A failed batch entry. */
export function errorEntry(status: number, outcome: OperationOutcome): BundleEntry {
  return { response: { status: statusLine(status), outcome } };
}
