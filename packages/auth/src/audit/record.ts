import { AppError } from '@yiyun/fhir';

/** What happened; each kind maps to one BALP / DICOM event type (see balp.ts). */
export const AUDIT_KINDS = [
  'read',
  'vread',
  'search',
  'history',
  'create',
  'update',
  'patch',
  'delete',
  'operation',
  'export',
  'import',
  'login',
  'logout',
  'login-failed',
  'access-denied',
  'break-the-glass',
  'token-revoked',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** AuditEvent.outcome (http://hl7.org/fhir/R4/valueset-audit-event-outcome.html): 0 / 4 / 8 / 12. */
export const AUDIT_OUTCOMES = ['success', 'minor-failure', 'serious-failure', 'major-failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditAgent {
  /** The platform account that acted (user account id). */
  readonly account?: string;
  /** OAuth client id of the application used. */
  readonly clientId?: string;
  /** FHIR reference of the person or device, e.g. `Practitioner/123`, `Patient/9`, `Device/his-1`. */
  readonly who?: string;
  /** Institution acted for: `Organization` id. */
  readonly organization?: string;
  readonly roles?: readonly string[];
  /** Client network address (IP). */
  readonly address?: string;
  readonly userAgent?: string;
}

export interface AuditEntity {
  /** `Type/id` (optionally `/_history/vid`), or `Type` for a type-level interaction. */
  readonly reference?: string;
  /** The raw search query string, for searches (stored base64 per BALP, identifying values redacted). */
  readonly query?: string;
  readonly description?: string;
}

/** One audited action, as the platform describes it; mapped to a FHIR AuditEvent (IHE BALP shape). */
export interface AuditRecord {
  readonly kind: AuditKind;
  readonly outcome: AuditOutcome;
  /** When the event was recorded; default: now. */
  readonly recorded?: Date;
  /** When the action began (request arrival), for AuditEvent.period; default: no period. */
  readonly started?: Date;
  readonly agent: AuditAgent;
  /** `Patient` ids concerned. */
  readonly patients?: readonly string[];
  readonly entities?: readonly AuditEntity[];
  /** v3 ActReason code, e.g. `ETREAT` for break-the-glass. */
  readonly purposeOfUse?: string;
  readonly requestId?: string;
  /** AuditEvent.outcomeDesc: never personal data (ID and phone numbers are scrubbed regardless). */
  readonly description?: string;
  /** Flag for review by the institution's admin (break-the-glass). */
  readonly reviewRequired?: boolean;
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const REFERENCE = /^[A-Z][A-Za-z]+(\/[A-Za-z0-9\-.]{1,64}(\/_history\/[A-Za-z0-9\-.]{1,64})?)?$/;
const CODE = /^[^\s]+(\s[^\s]+)*$/;
/** Account and client ids: printable, no control characters, bounded. */
const ACCOUNT = /^[^\p{Cc}]{1,128}$/u;

function invalid(message: string): AppError {
  return new AppError('invalid', `Invalid audit record: ${message}`);
}

/** Rejects records that would make an invalid AuditEvent or leak free text into indexed columns. */
export function assertValidRecord(record: AuditRecord): void {
  if (!(AUDIT_KINDS as readonly string[]).includes(record.kind))
    throw invalid(`unknown kind "${record.kind}"`);
  if (!(AUDIT_OUTCOMES as readonly string[]).includes(record.outcome))
    throw invalid(`unknown outcome "${record.outcome}"`);
  if (record.recorded !== undefined && Number.isNaN(record.recorded.getTime()))
    throw invalid('recorded is not a valid date');
  if (record.started !== undefined && Number.isNaN(record.started.getTime()))
    throw invalid('started is not a valid date');
  for (const id of record.patients ?? []) if (!FHIR_ID.test(id)) throw invalid('a patient is not a FHIR id');
  const { who, organization, roles, account, clientId } = record.agent;
  if (account !== undefined && !ACCOUNT.test(account)) throw invalid('agent.account is not an account id');
  if (clientId !== undefined && !ACCOUNT.test(clientId)) throw invalid('agent.clientId is not a client id');
  if (who !== undefined && !REFERENCE.test(who)) throw invalid('agent.who is not a Type/id reference');
  if (organization !== undefined && !FHIR_ID.test(organization))
    throw invalid('agent.organization is not a FHIR id');
  for (const role of roles ?? []) if (!CODE.test(role)) throw invalid('a role is not a code');
  for (const entity of record.entities ?? []) {
    if (entity.reference !== undefined && !REFERENCE.test(entity.reference))
      throw invalid('an entity reference is not Type/id');
  }
  if (record.purposeOfUse !== undefined && !CODE.test(record.purposeOfUse))
    throw invalid('purposeOfUse is not a code');
}
