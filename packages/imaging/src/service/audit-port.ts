import type { ErrorCode } from '@yiyun/fhir';
import type { ImagingCaller } from './port.ts';

/**
 * The imaging audit trail (issue #6 scope 7): one event per operation — a stored instance, a
 * query, a retrieve (locate) — never one per row. The server implements it with the platform's
 * hash-chained audit log (BALP AuditEvents); imaging only says what happened.
 */
export interface ImagingAudit {
  /** Resolves once the event is recorded; a rejection fails the operation (no unaudited access). */
  record(event: ImagingAuditEvent): Promise<void>;
}

export interface ImagingAuditEvent {
  readonly action: 'store' | 'query' | 'retrieve';
  readonly caller: ImagingCaller;
  /** StudyInstanceUIDs involved (stored into, matched, or retrieved from). */
  readonly studyUids: readonly string[];
  /** FHIR Patient ids of those studies (the audit log's patient participants). */
  readonly patientIds: readonly string[];
  readonly outcome: 'success' | 'failure';
  /** The AppError code of a failure. */
  readonly error?: ErrorCode;
  /** Query level and number of matches, or instances stored / located. */
  readonly detail?: { readonly level?: string; readonly count: number };
}
