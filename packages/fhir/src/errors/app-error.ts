import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/** The closed set of error codes used everywhere in Yiyun. */
export type ErrorCode =
  | 'invalid'
  | 'not-found'
  | 'gone'
  | 'conflict'
  | 'precondition-failed'
  | 'forbidden'
  | 'unauthenticated'
  | 'too-large'
  | 'unsupported'
  | 'unsupported-media-type'
  | 'method-not-allowed'
  | 'unprocessable'
  | 'too-costly'
  | 'internal';

interface ErrorMapping {
  readonly status: number;
  /** FHIR IssueType code (http://hl7.org/fhir/R4/valueset-issue-type.html) */
  readonly issueCode: OperationOutcomeIssue['code'];
}

/** The one table from error code to HTTP status and FHIR issue code. */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorMapping>> = Object.freeze({
  invalid: { status: 400, issueCode: 'invalid' },
  'not-found': { status: 404, issueCode: 'not-found' },
  gone: { status: 410, issueCode: 'deleted' },
  conflict: { status: 409, issueCode: 'conflict' },
  'precondition-failed': { status: 412, issueCode: 'conflict' },
  forbidden: { status: 403, issueCode: 'forbidden' },
  unauthenticated: { status: 401, issueCode: 'login' },
  'too-large': { status: 413, issueCode: 'too-long' },
  unsupported: { status: 400, issueCode: 'not-supported' },
  'unsupported-media-type': { status: 415, issueCode: 'not-supported' },
  'method-not-allowed': { status: 405, issueCode: 'not-supported' },
  unprocessable: { status: 422, issueCode: 'processing' },
  'too-costly': { status: 400, issueCode: 'too-costly' },
  internal: { status: 500, issueCode: 'exception' },
});

/** The one error type domain code throws; edges render it (OperationOutcome, OAuth error, DICOM status). */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra issues (e.g. validation findings); the message becomes the first issue when absent. */
  readonly issues: readonly OperationOutcomeIssue[];

  constructor(
    code: ErrorCode,
    message: string,
    options?: { issues?: OperationOutcomeIssue[]; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options?.issues ?? [];
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Renders an error as an OperationOutcome. Unknown errors are never echoed: callers log them. */
export function toOperationOutcome(err: unknown): OperationOutcome {
  if (!isAppError(err)) {
    return outcome([{ severity: 'error', code: 'exception', diagnostics: 'Internal server error' }]);
  }
  const issues =
    err.issues.length > 0
      ? [...err.issues]
      : [{ severity: 'error' as const, code: ERROR_TABLE[err.code].issueCode, diagnostics: err.message }];
  return outcome(issues);
}

export function outcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

export function informational(message: string): OperationOutcome {
  return outcome([{ severity: 'information', code: 'informational', diagnostics: message }]);
}
