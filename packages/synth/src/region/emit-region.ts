import type {
  CareTeam,
  Location,
  Organization,
  Practitioner,
  PractitionerRole,
  Resource,
} from '@medplum/fhirtypes';
import { withCustodian } from '@yiyun/fhir';
import { CITY } from '../data/districts.ts';
import { SYSTEMS } from '../data/systems.ts';
import type { Institution, Staff } from './model.ts';

const KIND_TYPE: Record<Institution['kind'], { code: string; zh: string; hl7: string }> = {
  hospital: { code: 'hospital', zh: '医院', hl7: 'prov' },
  chc: { code: 'community-health-centre', zh: '社区卫生服务中心/乡镇卫生院', hl7: 'prov' },
  village: { code: 'village-clinic', zh: '村卫生室', hl7: 'prov' },
  'public-health': { code: 'public-health-unit', zh: '专业公共卫生机构', hl7: 'govt' },
};

function address(inst: Institution) {
  const line = `${inst.subdistrict.name}${(inst.uscc.charCodeAt(10) % 90) + 1}号`;
  return {
    use: 'work' as const,
    type: 'physical' as const,
    text: `${CITY.province}${CITY.name}${inst.district.name}${line}`,
    line: [line],
    city: CITY.name,
    district: inst.district.name,
    state: CITY.province,
    postalCode: inst.district.postalCode,
    country: 'CN',
  };
}

function organization(inst: Institution): Organization {
  const kind = KIND_TYPE[inst.kind];
  const typeCodings = [
    { system: SYSTEMS.organizationType, code: kind.hl7 },
    { system: SYSTEMS.institutionType, code: kind.code, display: kind.zh },
  ];
  return {
    resourceType: 'Organization',
    id: inst.id,
    identifier: [{ use: 'official', system: SYSTEMS.uscc, value: inst.uscc }],
    active: true,
    type: [
      { coding: typeCodings, text: kind.zh },
      ...(inst.grade
        ? [
            {
              coding: [{ system: SYSTEMS.hospitalGrade, code: inst.grade.code, display: inst.grade.zh }],
              text: inst.grade.zh,
            },
          ]
        : []),
    ],
    name: inst.name,
    address: [address(inst)],
  };
}

function practitioner(s: Staff): Practitioner {
  const isNurse = s.role === 'nurse';
  return {
    resourceType: 'Practitioner',
    id: s.practitionerId,
    identifier: [{ system: SYSTEMS.practitionerLicence, value: s.licence }],
    active: true,
    name: [{ use: 'official', text: s.family + s.given, family: s.family, given: [s.given] }],
    gender: s.gender,
    birthDate: `${s.birthYear}-0${(s.licence.charCodeAt(12) % 9) + 1}-1${s.licence.charCodeAt(13) % 10}`,
    qualification: [
      {
        code: {
          coding: [
            {
              system: SYSTEMS.v2Degree,
              code: isNurse ? 'RN' : 'MD',
              display: isNurse ? 'Registered Nurse' : 'Doctor of Medicine',
            },
          ],
          text: isNurse ? '护士执业证书' : s.role === 'village-doctor' ? '乡村医生执业证书' : '医师执业证书',
        },
      },
    ],
  };
}

const ROLE_ZH: Record<Staff['role'], string> = {
  doctor: '医师',
  nurse: '护士',
  technician: '技师',
  'family-doctor': '家庭医生',
  'village-doctor': '乡村医生',
  'public-health': '公共卫生医师',
};

function practitionerRole(
  s: Staff,
  inst: Institution,
  deptName: string,
  locationId: string,
): PractitionerRole {
  const hl7 =
    s.role === 'nurse'
      ? 'nurse'
      : s.role === 'technician' || s.role === 'public-health'
        ? undefined
        : 'doctor';
  return {
    resourceType: 'PractitionerRole',
    id: s.roleId,
    active: true,
    practitioner: { reference: `Practitioner/${s.practitionerId}`, display: s.family + s.given },
    organization: { reference: `Organization/${inst.id}`, display: inst.name },
    code: [
      {
        coding: [
          ...(hl7 ? [{ system: 'http://terminology.hl7.org/CodeSystem/practitioner-role', code: hl7 }] : []),
          { system: SYSTEMS.practitionerRole, code: s.role, display: ROLE_ZH[s.role] },
        ],
        text: ROLE_ZH[s.role],
      },
    ],
    specialty: [{ text: deptName }],
    location: [{ reference: `Location/${locationId}` }],
  };
}

function location(id: string, name: string, orgId: string, inst: Institution): Location {
  return {
    resourceType: 'Location',
    id,
    status: 'active',
    mode: 'instance',
    name,
    managingOrganization: { reference: `Organization/${orgId}` },
    address: address(inst),
  };
}

function careTeams(inst: Institution): CareTeam[] {
  return inst.teams.map((t) => ({
    resourceType: 'CareTeam',
    id: t.id,
    status: 'active',
    name: t.name,
    category: [
      {
        coding: [{ system: SYSTEMS.careTeamRole, code: 'family-doctor-team', display: '家庭医生团队' }],
        text: '家庭医生团队',
      },
    ],
    managingOrganization: [{ reference: `Organization/${inst.id}` }],
    participant: t.members.map((m) => ({
      role: [{ coding: [{ system: SYSTEMS.practitionerRole, code: m.role, display: ROLE_ZH[m.role] }] }],
      member: { reference: `Practitioner/${m.practitionerId}`, display: m.family + m.given },
    })),
  }));
}

/**
 * The region as FHIR resources, referenced resources first. Each institution holds its own
 * directory entries (custodian tag): its institution admin maintains them, nobody else's does.
 */
export function regionResources(institutions: readonly Institution[]): Resource[] {
  const out: Resource[] = [];
  for (const inst of institutions) {
    const start = out.length;
    out.push(organization(inst));
    out.push(location(inst.locationId, inst.name, inst.id, inst));
    for (const dept of inst.departments) {
      out.push({
        resourceType: 'Organization',
        id: dept.id,
        active: true,
        type: [
          {
            coding: [{ system: SYSTEMS.organizationType, code: 'dept', display: 'Hospital Department' }],
            text: '科室',
          },
        ],
        name: `${inst.name}${dept.name}`,
        partOf: { reference: `Organization/${inst.id}`, display: inst.name },
      });
      out.push(location(dept.locationId, `${inst.name}${dept.name}`, dept.id, inst));
      for (const s of dept.staff) {
        out.push(practitioner(s));
        out.push(practitionerRole(s, inst, dept.name, dept.locationId));
      }
    }
    out.push(...careTeams(inst));
    for (let i = start; i < out.length; i++) out[i] = withCustodian(out[i] as Resource, inst.id);
  }
  return out;
}
