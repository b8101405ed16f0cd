import type { Encounter, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { custodianOf, withCustodian } from '@yiyun/fhir';

const orgId = (ref: Reference | undefined) => /^Organization\/(.+)$/.exec(ref?.reference ?? '')?.[1];
const idOf = (ref: Reference | undefined, type: string) =>
  new RegExp(`^${type}/(.+)$`).exec(ref?.reference ?? '')?.[1];

/**
 * Tags each of a household's resources with the institution that holds it (the platform's
 * custodian tag): the resource's own holding element, else its encounter's service provider, else
 * the institution that registered its patient. What a hospital feeding the platform would send.
 */
export function tagCustodians(resources: readonly Resource[]): Resource[] {
  const byEncounter = new Map<string, string>();
  const byPatient = new Map<string, string>();
  for (const r of resources) {
    if (r.resourceType === 'Encounter') {
      const org = orgId((r as Encounter).serviceProvider);
      if (org && r.id) byEncounter.set(r.id, org);
    } else if (r.resourceType === 'Patient') {
      const org = orgId((r as Patient).managingOrganization);
      if (org && r.id) byPatient.set(r.id, org);
    }
  }
  return resources.map((r) => {
    const fields = r as { encounter?: Reference; subject?: Reference; patient?: Reference };
    const encounter = idOf(fields.encounter, 'Encounter');
    const patient = idOf(fields.subject, 'Patient') ?? idOf(fields.patient, 'Patient');
    const org =
      custodianOf(r) ??
      (encounter ? byEncounter.get(encounter) : undefined) ??
      (patient ? byPatient.get(patient) : undefined);
    return org ? withCustodian(r, org) : r;
  });
}
