import { AppError } from '@yiyun/fhir';

/**
 * Content negotiation. Yiyun speaks FHIR JSON only (http://hl7.org/fhir/R4/http.html#mime-type):
 * `_format` and `Accept` asking only for XML/Turtle are refused, request bodies must be JSON.
 */
export const FHIR_JSON = 'application/fhir+json';
export const FHIR_JSON_UTF8 = 'application/fhir+json; charset=utf-8';
export const JSON_PATCH = 'application/json-patch+json';
export const FORM = 'application/x-www-form-urlencoded';

const JSON_FORMATS: ReadonlySet<string> = new Set([
  'json',
  'application/json',
  FHIR_JSON,
  'application/json+fhir',
]);

/** The media type without parameters, lower-cased; undefined when absent. */
export function mediaType(header: string | undefined | null): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** Checks `_format` and `Accept`; throws when the client wants a representation we do not produce. */
export function assertAcceptable(format: string | null, accept: string | undefined): void {
  if (format !== null) {
    const wanted = mediaType(format.replace(/ /g, '+'));
    if (!wanted || !JSON_FORMATS.has(wanted)) {
      throw new AppError('unsupported-media-type', 'Only JSON is supported (_format=json)');
    }
    return;
  }
  if (!accept) return;
  const types = accept.split(',').map((part) => mediaType(part) ?? '');
  const ok = types.some((t) => t === '*/*' || t === 'application/*' || JSON_FORMATS.has(t));
  if (!ok) throw new AppError('unsupported-media-type', 'Only application/fhir+json is supported');
}

export type BodyKind = 'resource' | 'json-patch' | 'form';

/** Classifies a request body's media type; undefined (no header) is taken as FHIR JSON. */
export function classifyBody(contentType: string | undefined): BodyKind {
  if (contentType === undefined || contentType === FHIR_JSON || contentType === 'application/json') {
    return 'resource';
  }
  if (contentType === 'application/json+fhir') return 'resource';
  if (contentType === JSON_PATCH) return 'json-patch';
  if (contentType === FORM) return 'form';
  throw new AppError('unsupported-media-type', 'Unsupported Content-Type: use application/fhir+json');
}
