import type { OperationOutcome } from '@medplum/fhirtypes';
import { AppError, ERROR_TABLE, type ErrorCode, isAppError, toOperationOutcome } from '@yiyun/fhir';
import type { Logger } from 'pino';
import type { FhirResponse } from '../types.ts';

/**
 * Any error as a status and OperationOutcome. Unknown errors are logged with their stack (the logger
 * carries the request id) and answered with a generic 500 that echoes nothing.
 */
export function renderError(err: unknown, logger: Logger): { status: number; body: OperationOutcome } {
  if (isAppError(err)) return { status: err.status, body: toOperationOutcome(err) };
  logger.error({ err: errorLogFields(err) }, 'unhandled error');
  return { status: 500, body: toOperationOutcome(err) };
}

/**
 * What of an unknown error goes to the log: its type, code, message and stack. Driver-specific
 * fields (`detail`, `where`, bound `parameters`) are left out: they can quote stored data.
 */
export function errorLogFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: err.message,
    stack: err.stack,
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** Prefixes an AppError with the bundle entry it came from; other errors pass through untouched. */
export function atEntry(index: number, err: unknown): unknown {
  if (!isAppError(err)) return err;
  const where = `Bundle.entry[${index}]`;
  const issues = err.issues.map((issue) => ({ ...issue, expression: [...(issue.expression ?? []), where] }));
  return new AppError(err.code, `${where}: ${err.message}`, { issues, cause: err });
}

/** A failed response (returned rather than thrown, e.g. a 405) as the AppError with the same status. */
export function errorFromResponse(res: FhirResponse): AppError {
  const code = (Object.keys(ERROR_TABLE) as ErrorCode[]).find((c) => ERROR_TABLE[c].status === res.status);
  const issues = res.body?.resourceType === 'OperationOutcome' ? (res.body.issue ?? []) : [];
  return new AppError(code ?? 'invalid', `Failed with status ${res.status}`, { issues });
}
