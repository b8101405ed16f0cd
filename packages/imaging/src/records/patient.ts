import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import { isValidResidentId, RESIDENT_ID_SYSTEM, withCustodian } from '@yiyun/fhir';
import type { DicomPatient } from '../dicom/port.ts';

/** Identifier type of a medical record number (HL7 v2 table 0203). */
const IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** Per-institution medical record numbers (the same system the synthetic region uses). */
export const MRN_SYSTEM = 'https://yiyun.dev/fhir/sid/mrn';

/** One PN component group (family^given^middle^prefix^suffix, PS3.5 §6.2.1.1) as a HumanName. */
function humanName(group: string, use: HumanName['use'], ideographic: boolean): HumanName | undefined {
  const [family, given, middle, prefix, suffix] = group.split('^').map((p) => p.trim());
  const givens = [given, middle].filter((g): g is string => !!g);
  const text = ideographic
    ? `${family ?? ''}${givens.join('')}`
    : [family, ...givens].filter((p) => !!p).join(' ');
  if (!text) return undefined;
  return {
    use,
    text,
    ...(family ? { family } : {}),
    ...(givens.length ? { given: givens } : {}),
    ...(prefix ? { prefix: [prefix] } : {}),
    ...(suffix ? { suffix: [suffix] } : {}),
  };
}

/** 汉字 (ideographic group) as the official name, pinyin (alphabetic) as a second, usual one. */
export function patientNames(patient: DicomPatient): HumanName[] {
  const { alphabetic, ideographic } = patient.name ?? {};
  const names: HumanName[] = [];
  const han = ideographic ? humanName(ideographic, 'official', true) : undefined;
  if (han) names.push(han);
  const latin = alphabetic ? humanName(alphabetic, han ? 'usual' : 'official', false) : undefined;
  if (latin) names.push(latin);
  return names;
}

/** The Patient ID as an identifier: a valid 公民身份号码 under the resident-ID system, else the sender's MRN. */
export function patientIdentifier(id: string, organization: string): Identifier {
  if (isValidResidentId(id.toUpperCase()))
    return { use: 'official', system: RESIDENT_ID_SYSTEM, value: id.toUpperCase() };
  return {
    use: 'usual',
    type: { coding: [{ system: IDENTIFIER_TYPE, code: 'MR' }], text: '病案号' },
    system: MRN_SYSTEM,
    value: id,
    assigner: { reference: `Organization/${organization}` },
  };
}

/** A new Patient of the sending institution made from what the DICOM instance says. */
export function patientFromDicom(patient: DicomPatient, organization: string): Patient {
  const identifier: Identifier[] = [];
  if (patient.id) identifier.push(patientIdentifier(patient.id, organization));
  for (const other of patient.otherIds) {
    if (
      isValidResidentId(other.id.toUpperCase()) &&
      !identifier.some((i) => i.value === other.id.toUpperCase())
    )
      identifier.push({ use: 'official', system: RESIDENT_ID_SYSTEM, value: other.id.toUpperCase() });
  }
  const names = patientNames(patient);
  return withCustodian(
    {
      resourceType: 'Patient',
      ...(identifier.length ? { identifier } : {}),
      active: true,
      ...(names.length ? { name: names } : {}),
      ...(patient.gender ? { gender: patient.gender } : {}),
      ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
      managingOrganization: { reference: `Organization/${organization}` },
    },
    organization,
  );
}
