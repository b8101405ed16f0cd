/**
 * The registration form: what a desk records about a person. Duplicate registrations copy it and
 * get fields wrong (`truth/duplicates.ts`); `patientResource` renders it as a Patient.
 */
import type { District } from '../data/districts.ts';
import { isoDate } from '../util/dates.ts';
import type { Household, Person } from './model.ts';

/** Fields every registration has. */
export interface RegistrationBase {
  birthDate: string;
  healthCard: string | undefined;
  phone: string | undefined;
  district: District;
  subdistrict: string;
  community: string;
  dwelling: string;
}

/** What a registration desk records about a Chinese resident: the fields duplicates get wrong. */
export interface CitizenDemographics extends RegistrationBase {
  readonly kind: 'citizen';
  family: string;
  given: string;
  familyPinyin: string;
  givenPinyin: string;
  residentId: string | undefined;
}

/** What a registration desk records about a foreign resident (name as on the passport). */
export interface ForeignDemographics extends RegistrationBase {
  readonly kind: 'foreign';
  /** ISO 3166-1 alpha-3. */
  readonly nationality: string;
  family: string;
  given: string;
  middle: string | undefined;
  readonly middleFirst: boolean;
  readonly familyFirst: boolean;
  passport: string | undefined;
  permanentResidenceId: string | undefined;
}

export type Demographics = CitizenDemographics | ForeignDemographics;

export function demographicsOf(person: Person, hh: Household): Demographics {
  const base: RegistrationBase = {
    birthDate: isoDate(person.birthDay),
    healthCard: person.healthCard,
    phone: person.phone,
    district: hh.district,
    subdistrict: hh.subdistrict.name,
    community: hh.community,
    dwelling: hh.dwelling,
  };
  if (person.kind === 'foreign') {
    return {
      kind: 'foreign',
      nationality: person.nationality,
      ...person.name,
      passport: person.passport,
      permanentResidenceId: person.permanentResidenceId,
      ...base,
    };
  }
  return {
    kind: 'citizen',
    family: person.family,
    given: person.given,
    familyPinyin: person.familyPinyin,
    givenPinyin: person.givenPinyin,
    residentId: person.residentId,
    ...base,
  };
}
