import type { Consent, Reference, Resource } from '@medplum/fhirtypes';
import { compartmentParams } from '../search/compartments.ts';
import type { IndexEntry } from '../search/types.ts';
import { custodianOf } from './custodian.ts';
import { isSensitiveLabel, type SensitiveLabel, sensitivityLabels } from './sensitivity.ts';

/**
 * A care relationship a resource establishes between an institution and the patient it is about
 * (issue #4: encounter, family-doctor contract, referral, consultation). `endsAt` null = open.
 */
export interface CareRelationFact {
  readonly organization: string;
  readonly endsAt: string | null;
}

/** A resident's choice recorded in a `Consent` (regional sharing, sensitive categories permitted). */
export interface ConsentFact {
  readonly date: string;
  /** Regional sharing: true permit, false deny (opt-out). */
  readonly share: boolean;
  readonly permitLabels: readonly SensitiveLabel[];
}

/** What access control needs of a stored resource, derived from its content alone. */
export interface AccessFacts {
  readonly custodian: string | null;
  /** The Patient whose compartment holds the resource (the Patient's own id for a Patient). */
  readonly patientId: string | null;
  readonly labels: readonly SensitiveLabel[];
  readonly careRelations: readonly CareRelationFact[];
  readonly consent: ConsentFact | null;
}

type Fields = Record<string, unknown>;

function refId(ref: Reference | undefined, type: string): string | undefined {
  const m = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(ref?.reference ?? '');
  return m && m[1] === type ? m[2] : undefined;
}

/** The first Patient reference among the compartment's parameters, in the definition's order. */
function compartmentPatient(resource: Resource, entries: readonly IndexEntry[]): string | null {
  if (resource.resourceType === 'Patient') return resource.id ?? null;
  for (const param of compartmentParams('Patient', resource.resourceType)) {
    for (const e of entries) {
      if (e.param === param && e.value.kind === 'reference' && e.value.targetType === 'Patient')
        return e.value.targetId ?? null;
    }
  }
  return null;
}

/** A FHIR date or dateTime (possibly partial: `2026`, `2026-03`) as an instant PostgreSQL reads. */
function instant(value: string): string {
  if (/^\d{4}$/.test(value)) return `${value}-01-01`;
  if (/^\d{4}-\d{2}$/.test(value)) return `${value}-01`;
  return value;
}

function periodEnd(value: unknown): string | null {
  const end = (value as { end?: unknown } | undefined)?.end;
  return typeof end === 'string' ? instant(end) : null;
}

const CLOSED = new Set(['completed', 'cancelled', 'entered-in-error', 'revoked', 'finished', 'rejected']);

/** Institutions a resource puts in a care relationship with its patient. */
function careRelations(resource: Resource, custodian: string | null): CareRelationFact[] {
  const r = resource as unknown as Fields;
  const status = typeof r['status'] === 'string' ? r['status'] : '';
  const orgs = new Set<string>();
  let endsAt: string | null = null;
  switch (resource.resourceType) {
    case 'Encounter':
      if (status === 'cancelled' || status === 'entered-in-error') return [];
      orgs.add(refId(r['serviceProvider'] as Reference, 'Organization') ?? custodian ?? '');
      endsAt = periodEnd(r['period']);
      break;
    case 'EpisodeOfCare': // family-doctor contract (家庭医生签约)
      if (CLOSED.has(status)) endsAt = periodEnd(r['period']) ?? resource.meta?.lastUpdated ?? null;
      else endsAt = periodEnd(r['period']);
      orgs.add(refId(r['managingOrganization'] as Reference, 'Organization') ?? custodian ?? '');
      break;
    case 'ServiceRequest': // referral (双向转诊): the receiving institutions and the sender
      if (status === 'entered-in-error' || status === 'revoked') return [];
      for (const p of (r['performer'] as Reference[] | undefined) ?? [])
        orgs.add(refId(p, 'Organization') ?? '');
      if (custodian) orgs.add(custodian);
      endsAt = CLOSED.has(status) ? (resource.meta?.lastUpdated ?? null) : null;
      break;
    case 'Task': // consultation (会诊): the owner institution and the requester's
      if (status === 'cancelled' || status === 'entered-in-error' || status === 'rejected') return [];
      orgs.add(refId(r['owner'] as Reference, 'Organization') ?? '');
      if (custodian) orgs.add(custodian);
      endsAt = CLOSED.has(status) ? (resource.meta?.lastUpdated ?? null) : null;
      break;
    default:
      return [];
  }
  orgs.delete('');
  return [...orgs].map((organization) => ({ organization, endsAt }));
}

/**
 * Reads a privacy Consent: top-level `provision.type` deny = no regional sharing, permit = sharing;
 * nested permit provisions naming sensitivity labels (`securityLabel`) allow those categories.
 * Only `active` Consents count; see docs/access-control.md for the profile.
 */
function consentFact(resource: Resource): ConsentFact | null {
  if (resource.resourceType !== 'Consent') return null;
  const consent = resource as Consent;
  if (consent.status !== 'active') return null;
  const permitLabels = new Set<SensitiveLabel>();
  for (const p of consent.provision?.provision ?? []) {
    if (p.type !== 'permit') continue;
    for (const s of p.securityLabel ?? []) if (s.code && isSensitiveLabel(s.code)) permitLabels.add(s.code);
  }
  return {
    date: instant(consent.dateTime ?? consent.meta?.lastUpdated ?? '1970-01-01'),
    share: consent.provision?.type !== 'deny',
    permitLabels: [...permitLabels].sort(),
  };
}

/** Derives the access facts of a resource about to be stored, from its content and index entries. */
export function accessFacts(resource: Resource, entries: readonly IndexEntry[]): AccessFacts {
  const custodian = custodianOf(resource) ?? null;
  return {
    custodian,
    patientId: compartmentPatient(resource, entries),
    labels: sensitivityLabels(resource),
    careRelations: careRelations(resource, custodian),
    consent: consentFact(resource),
  };
}
