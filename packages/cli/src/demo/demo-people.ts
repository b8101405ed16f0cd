import type {
  CareTeam,
  Encounter,
  EpisodeOfCare,
  HumanName,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Resource,
} from '@medplum/fhirtypes';
import { parseSearchRequest } from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import { SYSTEMS } from '@yiyun/synth';

/** A real record of the demo region that a demo account signs in as. */
export interface DemoPerson {
  readonly displayName: string;
  readonly organization?: string;
  readonly organizationName?: string;
  readonly practitioner?: string;
  readonly practitionerRole?: string;
  readonly patient?: string;
}

/** One record per linked role; absent when the region has no record that fits (a very small region). */
export interface DemoPeople {
  readonly 'institution-admin'?: DemoPerson;
  readonly clinician?: DemoPerson;
  readonly 'family-doctor'?: DemoPerson;
  readonly nurse?: DemoPerson;
  readonly 'public-health-analyst'?: DemoPerson;
  readonly resident?: DemoPerson;
}

type Finder = Pick<Store, 'registry' | 'repository'>;

/** Contracts looked at when choosing the demo resident (in id order; a small region has fewer). */
const MAX_CONTRACTS_EXAMINED = 200;

const idOf = (reference: string | undefined, type: string) =>
  reference?.startsWith(`${type}/`) ? reference.slice(type.length + 1) : undefined;

function nameText(names: readonly HumanName[] | undefined): string | undefined {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  return name?.text ?? (name ? `${name.family ?? ''}${(name.given ?? []).join('')}` : undefined);
}

async function search<T extends Resource>(
  finder: Finder,
  type: T['resourceType'],
  query: Record<string, string>,
) {
  const params = new URLSearchParams({ _count: '1000', _sort: '_id', ...query });
  const request = parseSearchRequest(type, params, finder.registry, { maxCount: 1000 });
  return (await finder.repository().search(request)).matches as unknown as T[];
}

async function read<T extends Resource>(finder: Finder, type: T['resourceType'], id: string): Promise<T> {
  return (await finder.repository().read(type, id)) as unknown as T;
}

const roleCode = (code: string) => ({ role: `${SYSTEMS.practitionerRole}|${code}` });

/** A staff member: the Practitioner with their PractitionerRole at `organization`. */
async function staff(
  finder: Finder,
  role: PractitionerRole,
  org: Organization,
): Promise<DemoPerson | undefined> {
  const practitioner = idOf(role.practitioner?.reference, 'Practitioner');
  if (practitioner === undefined || role.id === undefined) return undefined;
  const record = await read<Practitioner>(finder, 'Practitioner', practitioner);
  return {
    displayName: nameText(record.name) ?? practitioner,
    organization: org.id,
    organizationName: org.name,
    practitioner,
    practitionerRole: role.id,
  };
}

/** The PractitionerRole of `practitioner` at `org`, if it has one with that role code. */
async function roleAt(finder: Finder, practitioner: string, org: string, code: string) {
  const roles = await search<PractitionerRole>(finder, 'PractitionerRole', {
    practitioner: `Practitioner/${practitioner}`,
    organization: `Organization/${org}`,
    ...roleCode(code),
  });
  return roles[0];
}

interface ResidentChoice {
  readonly contract: EpisodeOfCare;
  readonly patient: string;
  /** Institutions whose encounters reference this Patient record. */
  readonly institutions: readonly string[];
  readonly hospital?: string;
  /** A practitioner who saw the resident at `hospital`. */
  readonly hospitalDoctor?: string;
}

async function examineContract(finder: Finder, contract: EpisodeOfCare, hospitals: ReadonlySet<string>) {
  const patient = idOf(contract.patient?.reference, 'Patient');
  if (patient === undefined) return undefined;
  const encounters = await search<Encounter>(finder, 'Encounter', { patient: `Patient/${patient}` });
  const institutions = [
    ...new Set(encounters.flatMap((e) => idOf(e.serviceProvider?.reference, 'Organization') ?? [])),
  ];
  const atHospital = encounters.find((e) =>
    hospitals.has(idOf(e.serviceProvider?.reference, 'Organization') ?? ''),
  );
  const hospital = idOf(atHospital?.serviceProvider?.reference, 'Organization');
  const hospitalDoctor = atHospital?.participant
    ?.map((p) => idOf(p.individual?.reference, 'Practitioner'))
    .find((id) => id !== undefined);
  return { contract, patient, institutions, hospital, hospitalDoctor } satisfies ResidentChoice;
}

/**
 * A resident with an active family-doctor contract (家庭医生签约) whose own Patient record has
 * encounters at more than one institution, one of them a hospital, so that cross-institution access
 * can be shown; failing that, the contracted resident seen at the most institutions.
 */
async function chooseResident(
  finder: Finder,
  hospitals: ReadonlySet<string>,
): Promise<ResidentChoice | undefined> {
  const contracts = await search<EpisodeOfCare>(finder, 'EpisodeOfCare', {
    type: `${SYSTEMS.episodeType}|family-doctor-contract`,
    status: 'active',
  });
  let best: ResidentChoice | undefined;
  for (const contract of contracts.slice(0, MAX_CONTRACTS_EXAMINED)) {
    const choice = await examineContract(finder, contract, hospitals);
    if (choice === undefined) continue;
    if (choice.hospital !== undefined && choice.institutions.length > 1) return choice;
    if (best === undefined || choice.institutions.length > best.institutions.length) best = choice;
  }
  return best;
}

async function teamNurse(finder: Finder, contract: EpisodeOfCare, chc: Organization) {
  const team = idOf(contract.team?.[0]?.reference, 'CareTeam');
  const careTeam = team === undefined ? undefined : await read<CareTeam>(finder, 'CareTeam', team);
  for (const participant of careTeam?.participant ?? []) {
    const member = idOf(participant.member?.reference, 'Practitioner');
    const role = member && chc.id ? await roleAt(finder, member, chc.id, 'nurse') : undefined;
    if (role) return staff(finder, role, chc);
  }
  const any = await search<PractitionerRole>(finder, 'PractitionerRole', {
    organization: `Organization/${chc.id}`,
    ...roleCode('nurse'),
  });
  return any[0] && staff(finder, any[0], chc);
}

async function hospitalStaff(finder: Finder, hospital: Organization, seenBy: string | undefined) {
  const doctors = await search<PractitionerRole>(finder, 'PractitionerRole', {
    organization: `Organization/${hospital.id}`,
    ...roleCode('doctor'),
  });
  const seen = doctors.find((r) => idOf(r.practitioner?.reference, 'Practitioner') === seenBy);
  const clinicianRole = seen ?? doctors[0];
  const adminRole = doctors.find((r) => r !== clinicianRole);
  return {
    clinician: clinicianRole && (await staff(finder, clinicianRole, hospital)),
    admin: adminRole && (await staff(finder, adminRole, hospital)),
  };
}

async function analyst(finder: Finder): Promise<DemoPerson | undefined> {
  const units = await search<Organization>(finder, 'Organization', {
    type: `${SYSTEMS.institutionType}|public-health-unit`,
  });
  // 疾病预防控制中心 (CDC) first: disease surveillance is what the analyst's portal shows.
  const unit = units.find((u) => u.name?.includes('疾病预防控制中心')) ?? units[0];
  if (unit?.id === undefined) return undefined;
  const roles = await search<PractitionerRole>(finder, 'PractitionerRole', {
    organization: `Organization/${unit.id}`,
    ...roleCode('public-health'),
  });
  return roles[0] && staff(finder, roles[0], unit);
}

/**
 * Finds the demo region's records behind each demo account, by FHIR search on the store: a resident
 * with a family-doctor contract; their family doctor (the contract's care manager, a GP of a
 * community health centre's team) and that team's nurse; a doctor at a hospital where the resident
 * was seen (and a colleague there as institution administrator); an analyst at a CDC.
 */
export async function findDemoPeople(finder: Finder): Promise<DemoPeople> {
  const hospitals = await search<Organization>(finder, 'Organization', {
    type: `${SYSTEMS.institutionType}|hospital`,
  });
  const hospitalIds = new Set(hospitals.flatMap((h) => h.id ?? []));
  const choice = await chooseResident(finder, hospitalIds);
  const people: { -readonly [K in keyof DemoPeople]: DemoPeople[K] } = {
    'public-health-analyst': await analyst(finder),
  };
  const hospital = hospitals.find((h) => h.id === choice?.hospital) ?? hospitals[0];
  if (hospital) {
    const { clinician, admin } = await hospitalStaff(finder, hospital, choice?.hospitalDoctor);
    people.clinician = clinician;
    people['institution-admin'] = admin;
  }
  if (choice === undefined) return people;
  const chcId = idOf(choice.contract.managingOrganization?.reference, 'Organization');
  const gp = idOf(choice.contract.careManager?.reference, 'Practitioner');
  const chc = chcId === undefined ? undefined : await read<Organization>(finder, 'Organization', chcId);
  if (chc?.id !== undefined && gp !== undefined) {
    const role = await roleAt(finder, gp, chc.id, 'family-doctor');
    people['family-doctor'] = role && (await staff(finder, role, chc));
    people.nurse = await teamNurse(finder, choice.contract, chc);
  }
  const patient = await read<Patient>(finder, 'Patient', choice.patient);
  const home = idOf(patient.managingOrganization?.reference, 'Organization');
  people.resident = {
    displayName: nameText(patient.name) ?? choice.patient,
    patient: choice.patient,
    ...(home ? { organization: home, organizationName: patient.managingOrganization?.display } : {}),
  };
  return people;
}
