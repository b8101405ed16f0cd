/**
 * What the 居民健康卡 (resident health card) operations share: the ports they are given, who may
 * do what, and resolving `Patient/{id}` to a regional person through the records the caller may
 * see. Their inputs are read as the registry operations' are (`registry/parameters.ts`).
 */
import type { HumanName, Parameters, ParametersParameter, Patient } from '@medplum/fhirtypes';
import type { Authorization, Role } from '@yiyun/auth';
import { AppError, HEALTH_CARD_SYSTEM, isAppError } from '@yiyun/fhir';
import type { StoredResource } from '@yiyun/store';
import type { FhirContext } from '../fhir/types.ts';

/** A card as the operations see it (the `HealthCard` of `@yiyun/mpi` fits). */
export interface HealthCardRecord {
  readonly number: string;
  readonly personId: string;
  readonly status: 'active' | 'revoked' | 'expired';
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly revokeReason: string | null;
}

export type HealthCardCheck =
  | { readonly valid: true; readonly card: string; readonly expiresAt: Date; readonly nameMatches?: boolean }
  | { readonly valid: false; readonly reason: string };

/** The health card service (`openHealthCards` of `@yiyun/mpi` fits). */
export interface HealthCards {
  issue(personId: string, actor: string, options?: { areaCode?: string }): Promise<HealthCardRecord>;
  lookup(number: string): Promise<HealthCardRecord>;
  currentCard(personId: string): Promise<HealthCardRecord | undefined>;
  revoke(number: string, reason: string, actor: string): Promise<HealthCardRecord>;
  qrPayload(number: string, nameText: string): Promise<string>;
  verify(jws: string, options?: { name?: string }): Promise<HealthCardCheck>;
  jwks(): Promise<{ readonly keys: readonly object[] }>;
}

/** The person links, read regardless of the caller's scope (`pgPersonDirectory` of `@yiyun/mpi` fits). */
export interface HealthCardPersons {
  patientsOfPerson(personId: string): Promise<string[]>;
  personOfPatient(patientId: string): Promise<string | null>;
}

export interface HealthCardDeps {
  readonly cards: HealthCards;
  readonly persons: HealthCardPersons;
}

const STAFF: readonly Role[] = ['clinician', 'family-doctor', 'nurse'];
/** Records resolved per person at most (a person has a handful of records, one per institution). */
const MAX_RECORDS = 100;

export function requireAuthorization(ctx: FhirContext): Authorization {
  const authz = ctx.authorization;
  if (!authz) throw new AppError('forbidden', 'Health card operations need an authenticated caller');
  if (authz.aggregateOnly) throw new AppError('forbidden', 'Analysts may not identify residents');
  return authz;
}

/** Staff who register residents: a clinician, family doctor or nurse, or a hospital system, at an institution. */
export function isRegistrar(authz: Authorization): boolean {
  const { principal } = authz;
  if (!principal.organization) return false;
  if (principal.kind === 'user') return principal.roles.some((r) => STAFF.includes(r));
  return principal.roles.includes('integration-system');
}

export function isClinicalStaff(authz: Authorization): boolean {
  const { principal } = authz;
  return (
    principal.kind === 'user' && !!principal.organization && principal.roles.some((r) => STAFF.includes(r))
  );
}

/** The resident's own person, when the caller is a resident. */
export async function ownPerson(authz: Authorization, persons: HealthCardPersons): Promise<string | null> {
  const { principal } = authz;
  if (!principal.roles.includes('resident') || !principal.patient) return null;
  return persons.personOfPatient(principal.patient);
}

async function readVisible(ctx: FhirContext, id: string): Promise<StoredResource | undefined> {
  try {
    return await ctx.repo.read('Patient', id);
  } catch (err) {
    if (isAppError(err) && (err.code === 'not-found' || err.code === 'gone' || err.code === 'invalid'))
      return undefined;
    throw err;
  }
}

/** The Patient records among `ids` the caller may see (the repository is bound to their scope). */
export async function visiblePatients(ctx: FhirContext, ids: readonly string[]): Promise<StoredResource[]> {
  const found = await Promise.all(ids.slice(0, MAX_RECORDS).map((id) => readVisible(ctx, id)));
  return found.filter((p): p is StoredResource => p !== undefined);
}

export interface ResolvedPerson {
  readonly personId: string;
  /** The person's records the caller may see (never empty). */
  readonly patients: readonly StoredResource[];
}

/**
 * `id` is a Patient record or a regional person id. Either way the caller must see at least one
 * of the person's records; otherwise it is `not-found`, exactly as if it did not exist.
 */
export async function resolvePerson(
  ctx: FhirContext,
  persons: HealthCardPersons,
  id: string,
): Promise<ResolvedPerson> {
  const linked = await persons.personOfPatient(id);
  if (linked) {
    const patient = await readVisible(ctx, id);
    if (!patient) throw new AppError('not-found', `Patient/${id} not found`);
    return { personId: linked, patients: [patient] };
  }
  const patients = await visiblePatients(ctx, await persons.patientsOfPerson(id));
  if (patients.length > 0) return { personId: id, patients };
  // A record the registry has not linked yet (linking runs from a durable queue).
  if (await readVisible(ctx, id))
    throw new AppError('conflict', `Patient/${id} is not linked to a regional person yet; try again shortly`);
  throw new AppError('not-found', `Patient/${id} not found`);
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

function nameText(name: HumanName): string | undefined {
  if (name.text?.trim()) return name.text;
  const family = name.family ?? '';
  const given = name.given ?? [];
  if (!family && given.length === 0) return undefined;
  // Chinese order and no spaces (张伟); Latin names given-first (Wei ZHANG).
  if (CJK.test(family + given.join(''))) return family + given.join('');
  return [...given, family].filter(Boolean).join(' ');
}

/** The name a QR payload hashes: the official name of the record (or its first name). */
export function patientNameText(patient: StoredResource): string | undefined {
  const names = (patient as Patient).name ?? [];
  const chosen = names.find((n) => n.use === 'official') ?? names.find((n) => n.use !== 'old') ?? names[0];
  return chosen ? nameText(chosen) : undefined;
}

/** A card as output parameters. */
export function cardParameters(card: HealthCardRecord): ParametersParameter[] {
  return [
    { name: 'number', valueString: card.number },
    {
      name: 'identifier',
      valueIdentifier: {
        system: HEALTH_CARD_SYSTEM,
        value: card.number,
        period: { start: card.issuedAt, end: card.revokedAt ?? card.expiresAt },
      },
    },
    { name: 'status', valueCode: card.status },
    { name: 'issued', valueInstant: card.issuedAt },
    { name: 'expires', valueInstant: card.expiresAt },
    ...(card.revokedAt ? [{ name: 'revoked', valueInstant: card.revokedAt }] : []),
    ...(card.revokeReason ? [{ name: 'reason', valueString: card.revokeReason }] : []),
  ];
}

export function parameters(parameter: ParametersParameter[]): Parameters {
  return { resourceType: 'Parameters', parameter };
}
