import { AppError, isAppError } from '@yiyun/fhir';
import type { Context } from 'hono';
import { BlobUnavailableError } from '../blob/port.ts';

/** The logger the routes need: pino's `Logger` fits. Constant messages, data in fields. */
export interface DicomwebLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * 406 Not Acceptable (PS3.18 §8.7.1, RFC 9110 §15.5.7): the error table has no code for it, so it is an
 * `unsupported` AppError whose HTTP status says 406.
 */
export class NotAcceptableError extends AppError {
  constructor(message: string) {
    super('unsupported', message);
    this.name = 'NotAcceptableError';
  }

  override get status(): number {
    return 406;
  }
}

/** 503: storage (or the index) cannot be reached right now; the client may retry. */
function isUnavailable(err: unknown): boolean {
  return err instanceof BlobUnavailableError;
}

/**
 * An error as a DICOMweb answer (PS3.18 §8.6: a status and, optionally, a small payload describing
 * it). AppErrors keep their status and message; unknown errors are logged with the request id and
 * answered with a generic 500 that echoes nothing (no message, no stack).
 */
export function errorResponse(c: Context, err: unknown, logger: DicomwebLogger): Response {
  // `internal` AppErrors may carry detail meant for the log only: treated like unknown errors.
  if (isAppError(err) && err.code !== 'internal') {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    };
    if (err.code === 'unauthenticated') headers['www-authenticate'] = 'Bearer realm="yiyun"';
    return new Response(JSON.stringify({ error: err.code, message: err.message }), {
      status: err.status,
      headers,
    });
  }
  const requestId = requestIdOf(c);
  if (isUnavailable(err)) {
    logger.warn({ reqId: requestId, err: errorFields(err) }, 'dicomweb storage unavailable');
    return c.json({ error: 'unavailable', message: 'Image storage is temporarily unavailable' }, 503, {
      'retry-after': '5',
    });
  }
  logger.error({ reqId: requestId, err: errorFields(err) }, 'dicomweb unhandled error');
  return c.json({ error: 'internal', message: 'Internal server error' }, 500);
}

export function requestIdOf(c: Context): string | undefined {
  const id: unknown = c.get('requestId');
  return typeof id === 'string' ? id : undefined;
}

/** What of an unknown error goes to the log: type, message, stack (never bound data). */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  return { type: err.name, message: err.message, stack: err.stack };
}

/**
 * A `Warning` header value (RFC 7234 §5.5, as PS3.18 §8.4.3 uses it): code 299, agent, quoted text.
 * Header values must be Latin-1, and client-sent names can be anything: non-ASCII becomes `?`.
 */
export function warningHeader(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, "'");
  return `299 yiyun "${ascii.slice(0, 500)}"`;
}
