import type { Patient } from '@medplum/fhirtypes';
import { CITY, type District } from '../data/districts.ts';
import { SYSTEMS } from '../data/systems.ts';
import type { Institution } from '../region/model.ts';
import { isoDate, isoDateTime } from '../util/dates.ts';
import type { Household, Person } from './model.ts';

/** What a registration desk records about a person: the fields duplicate registrations get wrong. */
export interface Demographics {
  family: string;
  given: string;
  familyPinyin: string;
  givenPinyin: string;
  birthDate: string;
  residentId: string | undefined;
  healthCard: string | undefined;
  phone: string | undefined;
  district: District;
  subdistrict: string;
  community: string;
  dwelling: string;
}

export function demographicsOf(person: Person, hh: Household): Demographics {
  return {
    family: person.family,
    given: person.given,
    familyPinyin: person.familyPinyin,
    givenPinyin: person.givenPinyin,
    birthDate: isoDate(person.birthDay),
    residentId: person.residentId,
    healthCard: person.healthCard,
    phone: person.phone,
    district: hh.district,
    subdistrict: hh.subdistrict.name,
    community: hh.community,
    dwelling: hh.dwelling,
  };
}

/**
 * A Patient as registered at one institution. Names: the first HumanName (use "official") is in
 * characters; the second (use "usual") is its Hanyu pinyin, family first as Chinese write it.
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
  if (demo.residentId) {
    identifier.push({
      use: 'official',
      type: { coding: [{ system: SYSTEMS.identifierType, code: 'NI' }], text: '居民身份证' },
      system: SYSTEMS.residentId,
      value: demo.residentId,
    });
  }
  if (demo.healthCard)
    identifier.push({ use: 'secondary', system: SYSTEMS.healthCard, value: demo.healthCard });
  const line = [demo.subdistrict, demo.community, demo.dwelling];
  return {
    resourceType: 'Patient',
    id,
    identifier,
    active: true,
    name: [
      { use: 'official', text: demo.family + demo.given, family: demo.family, given: [demo.given] },
      {
        use: 'usual',
        text: `${demo.familyPinyin} ${demo.givenPinyin}`,
        family: demo.familyPinyin,
        given: [demo.givenPinyin],
      },
    ],
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
