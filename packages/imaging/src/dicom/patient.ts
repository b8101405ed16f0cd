import type { DicomJson, DicomJsonElement } from '../service/port.ts';
import type { DicomPatient } from './port.ts';

/** The patient as the instance describes it (PS3.3 §C.7.1.1 Patient Module), from its DICOM JSON. */
export function patientOf(dataset: DicomJson): DicomPatient {
  const patient: {
    id?: string;
    issuer?: string;
    name?: DicomPatient['name'];
    birthDate?: string;
    gender?: DicomPatient['gender'];
    otherIds: { id: string; issuer?: string }[];
  } = { otherIds: otherIdsOf(dataset) };
  const id = firstString(dataset['00100020']);
  if (id) patient.id = id;
  const issuer = firstString(dataset['00100021']);
  if (issuer) patient.issuer = issuer;
  const name = personNameOf(dataset['00100010']);
  if (name) patient.name = name;
  const birthDate = fhirDate(firstString(dataset['00100030']));
  if (birthDate) patient.birthDate = birthDate;
  const gender = fhirGender(firstString(dataset['00100040']));
  if (gender) patient.gender = gender;
  return patient;
}

function firstString(element: DicomJsonElement | undefined): string | undefined {
  const v = element?.Value?.[0];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function personNameOf(element: DicomJsonElement | undefined): DicomPatient['name'] | undefined {
  const v = element?.Value?.[0];
  if (typeof v !== 'object' || v === null) return undefined;
  const pn = v as Record<string, unknown>;
  const name: { alphabetic?: string; ideographic?: string; phonetic?: string } = {};
  if (typeof pn['Alphabetic'] === 'string') name.alphabetic = pn['Alphabetic'];
  if (typeof pn['Ideographic'] === 'string') name.ideographic = pn['Ideographic'];
  if (typeof pn['Phonetic'] === 'string') name.phonetic = pn['Phonetic'];
  return Object.keys(name).length > 0 ? name : undefined;
}

/** DA `YYYYMMDD` (or the retired ACR-NEMA `YYYY.MM.DD`, PS3.5 Table 6.2-1) → FHIR date, if a real date. */
export function fhirDate(da: string | undefined): string | undefined {
  const m = da === undefined ? null : /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(da);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const isReal =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isReal && year >= 1 ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Patient's Sex (0010,0040): M, F, O (PS3.3 §C.7.1.1) → FHIR AdministrativeGender. */
export function fhirGender(sex: string | undefined): DicomPatient['gender'] | undefined {
  if (sex === undefined) return undefined;
  switch (sex.toUpperCase()) {
    case 'M':
      return 'male';
    case 'F':
      return 'female';
    case 'O':
      return 'other';
    default:
      return 'unknown';
  }
}

/** Other Patient IDs Sequence (0010,1002), plus the retired Other Patient IDs (0010,1000). */
function otherIdsOf(dataset: DicomJson): { id: string; issuer?: string }[] {
  const out: { id: string; issuer?: string }[] = [];
  for (const item of dataset['00101002']?.Value ?? []) {
    if (typeof item !== 'object' || item === null) continue;
    const ds = item as DicomJson;
    const id = firstString(ds['00100020']);
    if (!id) continue;
    const issuer = firstString(ds['00100021']);
    out.push(issuer ? { id, issuer } : { id });
  }
  for (const id of dataset['00101000']?.Value ?? []) {
    if (typeof id === 'string' && id !== '' && !out.some((o) => o.id === id)) out.push({ id });
  }
  return out;
}
