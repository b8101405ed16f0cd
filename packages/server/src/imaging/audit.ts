import type { AuditKind, AuditLog } from '@yiyun/auth';
import type { ImagingAudit, ImagingAuditEvent } from '@yiyun/imaging';

const KINDS: Readonly<Record<ImagingAuditEvent['action'], AuditKind>> = {
  store: 'create',
  query: 'search',
  retrieve: 'read',
};

/** DICOM study UIDs are not personal data; they name what was touched (at most 50 per event). */
const MAX_STUDIES = 50;

/**
 * DICOMweb and DIMSE operations in the platform's hash-chained audit log, one BALP AuditEvent per
 * operation: the agent (account, client or AE title, institution, address), the patients concerned
 * and the studies as entities.
 */
export function imagingAudit(log: AuditLog): ImagingAudit {
  return {
    record: (event) =>
      log.record({
        kind: KINDS[event.action],
        outcome: event.outcome === 'success' ? 'success' : 'minor-failure',
        agent: {
          ...(event.caller.via.startsWith('c-')
            ? { clientId: event.caller.actor }
            : { account: event.caller.actor }),
          ...(event.caller.organization ? { organization: event.caller.organization } : {}),
          ...(event.caller.address ? { address: event.caller.address } : {}),
        },
        patients: event.patientIds.slice(0, 100),
        entities: event.studyUids.slice(0, MAX_STUDIES).map((uid) => ({
          reference: 'ImagingStudy',
          description: `StudyInstanceUID ${uid}`,
        })),
        ...(event.caller.requestId ? { requestId: event.caller.requestId } : {}),
        description: describe(event),
      }),
  };
}

function describe(event: ImagingAuditEvent): string {
  const what = `${event.caller.via}${event.detail?.level ? ` ${event.detail.level}` : ''}`;
  const count = event.detail
    ? `, ${event.detail.count} ${event.action === 'query' ? 'matches' : 'instances'}`
    : '';
  return event.outcome === 'success' ? `${what}${count}` : `${what} failed (${event.error ?? 'internal'})`;
}
