import type { Reference, Resource } from '@medplum/fhirtypes';

/**
 * Every resource carries the institution that holds it (its custodian, the tenant) as a `meta.tag`
 * in this system, code = the `Organization` id. FHIR R4 has no custodian element on most resources,
 * and a tag survives every interaction, export and import unchanged.
 */
export const CUSTODIAN_SYSTEM = 'https://yiyun.dev/fhir/CodeSystem/custodian';

function organizationId(ref: Reference | undefined): string | undefined {
  const match = /^Organization\/([A-Za-z0-9\-.]{1,64})$/.exec(ref?.reference ?? '');
  return match?.[1];
}

type Fields = Record<string, unknown>;

/** Elements that name the holding institution when no tag says so, per resource type. */
const DERIVED: Readonly<Record<string, (r: Fields) => Reference | undefined>> = {
  Organization: (r) => ({ reference: `Organization/${String(r['id'])}` }),
  Patient: (r) => r['managingOrganization'] as Reference | undefined,
  Encounter: (r) => r['serviceProvider'] as Reference | undefined,
  EpisodeOfCare: (r) => r['managingOrganization'] as Reference | undefined,
  CareTeam: (r) => (r['managingOrganization'] as Reference[] | undefined)?.[0],
  PractitionerRole: (r) => r['organization'] as Reference | undefined,
  Location: (r) => r['managingOrganization'] as Reference | undefined,
  HealthcareService: (r) => r['providedBy'] as Reference | undefined,
  DocumentReference: (r) => r['custodian'] as Reference | undefined,
  Composition: (r) => r['custodian'] as Reference | undefined,
};

/** The custodian tag's Organization id, else one derived from the resource's own elements. */
export function custodianOf(resource: Resource): string | undefined {
  const tag = resource.meta?.tag?.find((t) => t.system === CUSTODIAN_SYSTEM)?.code;
  if (tag) return tag;
  const derive = DERIVED[resource.resourceType];
  return derive ? organizationId(derive(resource as unknown as Fields)) : undefined;
}

/** A copy of the resource tagged with this custodian (any other custodian tag replaced). */
export function withCustodian<T extends Resource>(resource: T, organization: string): T {
  const others = (resource.meta?.tag ?? []).filter((t) => t.system !== CUSTODIAN_SYSTEM);
  return {
    ...resource,
    meta: { ...resource.meta, tag: [...others, { system: CUSTODIAN_SYSTEM, code: organization }] },
  };
}
