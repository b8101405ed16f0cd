import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import { CITY } from '../data/districts.ts';
import { SYSTEMS } from '../data/systems.ts';
import type { Institution } from '../region/model.ts';
import { isoDateTime } from '../util/dates.ts';
import type { CitizenDemographics, Demographics } from './demographics.ts';
import { foreignIdentifiers, foreignNames, nationalityExtension } from './foreign-patient.ts';
import type { Person } from './model.ts';

function citizenIdentifiers(demo: CitizenDemographics): Identifier[] {
  if (!demo.residentId) return [];
  return [
    {
      use: 'official',
      type: { coding: [{ system: SYSTEMS.identifierType, code: 'NI' }], text: '居民身份证' },
      system: SYSTEMS.residentId,
      value: demo.residentId,
    },
  ];
}

/** Characters first (use "official"), then Hanyu pinyin (use "usual"), family first as Chinese write it. */
function citizenNames(demo: CitizenDemographics): HumanName[] {
  return [
    { use: 'official', text: demo.family + demo.given, family: demo.family, given: [demo.given] },
    {
      use: 'usual',
      text: `${demo.familyPinyin} ${demo.givenPinyin}`,
      family: demo.familyPinyin,
      given: [demo.givenPinyin],
    },
  ];
}

/**
 * A Patient as registered at one institution. Chinese residents: name in characters and pinyin,
 * 居民身份证. Foreign residents: the passport name only, passport and permanent residence ID, and
 * their nationality (`foreign-patient.ts`).
 */
export function patientResource(opts: {
  id: string;
  person: Person;
  demo: Demographics;
  institution: Institution;
  mrn: string;
}): Patient {
  const { id, person, demo, institution } = opts;
  const identifier: NonNullable<Patient['identifier']> = [
    {
      use: 'usual',
      type: { coding: [{ system: SYSTEMS.identifierType, code: 'MR' }], text: '病案号' },
      system: SYSTEMS.mrn,
      value: opts.mrn,
      assigner: { reference: `Organization/${institution.id}` },
    },
  ];
  identifier.push(...(demo.kind === 'foreign' ? foreignIdentifiers(demo) : citizenIdentifiers(demo)));
  if (demo.healthCard)
    identifier.push({ use: 'secondary', system: SYSTEMS.healthCard, value: demo.healthCard });
  const line = [demo.subdistrict, demo.community, demo.dwelling];
  return {
    resourceType: 'Patient',
    id,
    ...(demo.kind === 'foreign' ? { extension: [nationalityExtension(demo.nationality)] } : {}),
    identifier,
    active: true,
    name: demo.kind === 'foreign' ? foreignNames(demo) : citizenNames(demo),
    ...(demo.phone
      ? { telecom: [{ system: 'phone' as const, value: demo.phone, use: 'mobile' as const }] }
      : {}),
    gender: person.sex,
    birthDate: demo.birthDate,
    ...(person.deathDay !== undefined
      ? { deceasedDateTime: isoDateTime(person.deathDay, 300 + (person.deathDay % 900)) }
      : {}),
    address: [
      {
        use: 'home',
        type: 'physical',
        text: `${CITY.province}${CITY.name}${demo.district.name}${line.join('')}`,
        line,
        city: CITY.name,
        district: demo.district.name,
        state: CITY.province,
        postalCode: demo.district.postalCode,
        country: 'CN',
      },
    ],
    managingOrganization: { reference: `Organization/${institution.id}`, display: institution.name },
  };
}
