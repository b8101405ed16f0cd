import { AppError } from '@yiyun/fhir';
import type { StoredResource } from '@yiyun/store';

/** `W/"3"` — versions are weak ETags (http://hl7.org/fhir/R4/http.html#versioning). */
export function etagOf(versionId: string): string {
  return `W/"${versionId}"`;
}

/** The version named by an `If-Match` header (`W/"3"`, `"3"` or `3`); undefined when absent. */
export function parseIfMatch(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"?([A-Za-z0-9\-.]{1,64})"?\s*$/.exec(header);
  if (!match?.[1]) throw new AppError('invalid', 'If-Match must be a version ETag such as W/"1"');
  return match[1];
}

/** ETag, Last-Modified and (optionally) Location for a stored resource version. */
export function resourceHeaders(
  resource: StoredResource,
  options: { baseUrl: string; location?: boolean },
): Record<string, string> {
  const headers: Record<string, string> = {
    etag: etagOf(resource.meta.versionId),
    'last-modified': new Date(resource.meta.lastUpdated).toUTCString(),
  };
  if (options.location) {
    headers['location'] =
      `${options.baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
  }
  return headers;
}
