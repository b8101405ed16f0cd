import type { Extension, HumanName, Identifier } from '@medplum/fhirtypes';
import { passportSystem } from '@yiyun/fhir';
import { SYSTEMS } from '../data/systems.ts';
import type { ForeignDemographics } from './demographics.ts';
import { givenNames, latinNameText } from './latin-name.ts';

/** FHIR core extension for a patient's nationality (R4 `patient-nationality`, sub-extension `code`). */
const NATIONALITY_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/patient-nationality';

/** One official name as on the passport: no pinyin, no name in characters. */
export function foreignNames(demo: ForeignDemographics): HumanName[] {
  return [{ use: 'official', text: latinNameText(demo), family: demo.family, given: givenNames(demo) }];
}

/** Passport (v2-0203 PPN) and, for permanent residents, the 外国人永久居留身份证 (PRC). */
export function foreignIdentifiers(demo: ForeignDemographics): Identifier[] {
  const out: Identifier[] = [];
  if (demo.passport) {
    out.push({
      use: 'official',
      type: { coding: [{ system: SYSTEMS.identifierType, code: 'PPN' }], text: '护照' },
      system: passportSystem(demo.nationality),
      value: demo.passport,
    });
  }
  if (demo.permanentResidenceId) {
    out.push({
      use: 'official',
      type: { coding: [{ system: SYSTEMS.identifierType, code: 'PRC' }], text: '外国人永久居留身份证' },
      system: SYSTEMS.foreignPermanentResidence,
      value: demo.permanentResidenceId,
    });
  }
  return out;
}

export function nationalityExtension(iso3: string): Extension {
  return {
    url: NATIONALITY_EXTENSION,
    extension: [{ url: 'code', valueCodeableConcept: { coding: [{ system: SYSTEMS.iso3166, code: iso3 }] } }],
  };
}
