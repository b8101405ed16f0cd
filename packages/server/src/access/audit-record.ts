import type { Bundle, Parameters, Resource } from '@medplum/fhirtypes';
import type { AuditOutcome, AuditRecord, Principal } from '@yiyun/auth';
import type { FhirRequest, FhirResponse } from '../fhir/types.ts';
import type { Classified } from './interaction.ts';

/** Where the request came from, for AuditEvent.agent.network and source. */
export interface RequestOrigin {
  readonly requestId?: string;
  readonly address?: string;
  readonly userAgent?: string;
  readonly started: Date;
}

const MAX_PATIENTS = 100;
const PATIENT_REF = /^Patient\/([A-Za-z0-9\-.]{1,64})$/;

/** The Patient a resource is about, by its usual elements (cheap: no index extraction). */
function patientOf(resource: Resource | undefined): string | undefined {
  if (!resource) return undefined;
  if (resource.resourceType === 'Patient') return resource.id;
  const r = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  const ref = r.subject?.reference ?? r.patient?.reference;
  return ref ? PATIENT_REF.exec(ref)?.[1] : undefined;
}

function patientsOf(req: FhirRequest, res: FhirResponse | undefined): string[] {
  const found = new Set<string>();
  if (
    req.parts[0] === 'Patient' &&
    req.parts[1] &&
    !req.parts[1].startsWith('$') &&
    !req.parts[1].startsWith('_')
  )
    found.add(req.parts[1]);
  for (const key of ['patient', 'subject']) {
    for (const v of req.query.getAll(key)) {
      const id = PATIENT_REF.exec(v)?.[1] ?? (/^[A-Za-z0-9\-.]{1,64}$/.test(v) ? v : undefined);
      if (id) found.add(id);
    }
  }
  const body = res?.body;
  if (body?.resourceType === 'Parameters') {
    // An operation's answer names its patient as a `patient` Reference parameter ($share, $unshare …).
    for (const p of (body as Parameters).parameter ?? []) {
      const id = p.name === 'patient' ? PATIENT_REF.exec(p.valueReference?.reference ?? '')?.[1] : undefined;
      if (id) found.add(id);
    }
  } else if (body?.resourceType === 'Bundle') {
    for (const entry of (body as Bundle).entry ?? []) {
      const id = patientOf(entry.resource);
      if (id) found.add(id);
      if (found.size >= MAX_PATIENTS) break;
    }
  } else {
    const id = patientOf(body);
    if (id) found.add(id);
  }
  if (req.body && typeof req.body === 'object') {
    const id = patientOf(req.body as Resource);
    if (id) found.add(id);
  }
  return [...found].slice(0, MAX_PATIENTS);
}

export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  if (status < 500) return 'minor-failure';
  return 'serious-failure';
}

/** The AuditEvent record of one FHIR interaction (BALP: who, for which institution, whom, what, outcome). */
export function auditRecordFor(options: {
  readonly req: FhirRequest;
  readonly classified: Classified;
  readonly principal: Principal;
  readonly origin: RequestOrigin;
  readonly status: number;
  readonly response?: FhirResponse;
  readonly denied?: boolean;
}): AuditRecord {
  const { req, classified: c, principal, origin } = options;
  const query = req.query.toString();
  const reference = c.reference ?? (c.types.length === 1 && c.types[0] !== '*' ? c.types[0] : undefined);
  return {
    kind: options.denied ? 'access-denied' : c.kind,
    outcome: outcomeOf(options.status),
    started: origin.started,
    agent: {
      ...(principal.kind === 'user' ? { account: principal.subject } : {}),
      clientId: principal.clientId,
      ...(principal.fhirUser ? { who: principal.fhirUser } : {}),
      ...(principal.organization ? { organization: principal.organization } : {}),
      roles: principal.roles,
      ...(origin.address ? { address: origin.address } : {}),
      ...(origin.userAgent ? { userAgent: origin.userAgent.slice(0, 200) } : {}),
    },
    patients: patientsOf(req, options.response),
    entities: [
      {
        ...(reference ? { reference } : {}),
        ...(c.kind === 'search' && query ? { query } : {}),
        ...(c.operation ? { description: `$${c.operation}` } : {}),
      },
    ],
    ...(origin.requestId ? { requestId: origin.requestId } : {}),
    // Emergency access (v3 ActReason ETREAT) is flagged for the institution admin's review.
    ...(c.kind === 'break-the-glass' ? { purposeOfUse: 'ETREAT', reviewRequired: true } : {}),
  };
}
