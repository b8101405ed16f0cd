import type { HumanName, Patient } from '@medplum/fhirtypes';
import { FOREIGN_PERMANENT_RESIDENCE_SYSTEM, isTravelDocumentSystem, RESIDENT_ID_SYSTEM } from '@yiyun/fhir';
import { type AddressFacts, readAddress } from './address.ts';
import { readBirthDate } from './birth-date.ts';
import {
  givenPinyin,
  type HanConverter,
  hanKey,
  hanParts,
  isHan,
  splitHanName,
  surnamePinyin,
} from './han.ts';
import { hasLatin, latinTokens, nameForms } from './latin.ts';
import { normalisePhone } from './phone.ts';
import { readResidentId } from './resident-id.ts';

export const HEALTH_CARD_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-health-card';

/** Data-quality findings kept with the record: shown to reviewers, never a reason to link. */
export type RecordFlag =
  | 'name-missing'
  | 'id-invalid'
  | 'id-legacy'
  | 'id-birth-date-mismatch'
  | 'id-gender-mismatch'
  | 'birth-date-partial'
  | 'birth-date-impossible'
  | 'birth-date-future';

export interface NameFacts {
  /** Character forms (simplified, separators removed); both orders for names in parts. */
  readonly han: readonly string[];
  /** Latin forms: pinyin of the characters (every surname reading) and Latin names, in each order. */
  readonly forms: readonly string[];
  /** Surname keys for blocking (pinyin of the surname, or the outer tokens of a Latin name). */
  readonly family: readonly string[];
  /** The key whose frequency in the registry adjusts the weight of a name agreement. */
  readonly frequencyKey: string;
}

/** Everything the matcher compares about one Patient record, normalised once when it is written. */
export interface MatchRecord {
  readonly id: string;
  readonly custodian: string | null;
  readonly name: NameFacts | null;
  readonly birthDate: string | null;
  readonly birthYear: number | null;
  readonly gender: 'male' | 'female' | null;
  /** 18-character resident ID (legacy 15-digit converted); see `idValid`. */
  readonly residentId: string | null;
  readonly idValid: boolean;
  readonly healthCard: string | null;
  /** Travel-document numbers (passports, mainland travel permits), upper-case alphanumerics. */
  readonly documents: readonly string[];
  readonly phones: readonly string[];
  readonly address: AddressFacts | null;
  /** `Patient.link` replaced-by: the institution merged this record into another (PMIR ITI-104). */
  readonly replacedBy: string | null;
  readonly flags: readonly RecordFlag[];
}

interface NameParts {
  han: Set<string>;
  forms: Set<string>;
  family: Set<string>;
  frequencyKey: string | null;
}

function addHanName(han: HanConverter, name: HumanName, out: NameParts): void {
  const family = hanKey(han, name.family ?? '');
  const given = hanKey(han, (name.given ?? []).join(''));
  const text = hanKey(han, name.text ?? '');
  const full = family || given ? family + given : text;
  const parts = hanParts(text.includes('·') ? text : '');
  if (parts.length > 1 || family.includes('·') || given.includes('·')) {
    // Transliterated names in parts (阿依古丽·买买提): either order, pinyin per part.
    const list = parts.length > 1 ? parts : hanParts(`${given}·${family}`);
    for (const form of nameForms(list)) out.han.add(form);
    for (const form of nameForms(list.map(givenPinyin))) out.forms.add(form);
    out.family.add(givenPinyin(list[list.length - 1] ?? ''));
    out.frequencyKey ??= [...list].sort().join('·');
    return;
  }
  const whole = full.replace(/·/g, '');
  if (!whole) return;
  const split = family ? { family, given } : splitHanName(whole);
  out.han.add(split.family + split.given);
  const givenPy = givenPinyin(split.given);
  const readings = surnamePinyin(split.family);
  readings.forEach((reading, i) => {
    out.forms.add(reading + givenPy);
    out.forms.add(givenPy + reading);
    if (i === 0) out.family.add(reading);
  });
  out.frequencyKey ??= split.family + split.given;
}

function addLatinName(name: HumanName, out: NameParts, hasHan: boolean): void {
  const structured = name.family || name.given?.length;
  const family = latinTokens(name.family ?? '');
  const given = latinTokens((name.given ?? []).join(' '));
  const tokens = structured ? [...family, ...given] : latinTokens(name.text ?? '');
  if (tokens.length === 0) return;
  for (const form of nameForms(structured ? [family.join(''), given.join('')].filter(Boolean) : tokens))
    out.forms.add(form);
  for (const form of nameForms(tokens)) out.forms.add(form);
  // Middle names dropped or cut to an initial ("John M. Smith", "John Smith" for John Michael Smith).
  const whole = tokens.filter((t) => t.length > 1);
  const firstGiven = given.find((t) => t.length > 1);
  const short = structured
    ? family.length && firstGiven
      ? [family.join(''), firstGiven]
      : []
    : whole.length >= 3
      ? [whole[0]!, whole[whole.length - 1]!]
      : whole;
  for (const form of nameForms(short)) out.forms.add(form);
  if (!hasHan) {
    // Which part is the surname is unknown in free text and in swapped fields: block on both.
    const ends =
      structured && family.length && firstGiven
        ? [family.join(''), firstGiven]
        : [tokens[0]!, tokens[tokens.length - 1]!];
    for (const end of ends) out.family.add(end);
  }
  out.frequencyKey ??= [...tokens].sort().join(' ');
}

export function readNames(han: HanConverter, names: readonly HumanName[] | undefined): NameFacts | null {
  const out: NameParts = { han: new Set(), forms: new Set(), family: new Set(), frequencyKey: null };
  const usable = (names ?? []).filter((n) => n.use !== 'old' && n.use !== 'maiden');
  const hanNames = usable.filter((n) => isHan(`${n.text ?? ''}${n.family ?? ''}${(n.given ?? []).join('')}`));
  for (const n of hanNames) addHanName(han, n, out);
  for (const n of usable) {
    if (hanNames.includes(n)) continue;
    if (hasLatin(`${n.text ?? ''}${n.family ?? ''}${(n.given ?? []).join('')}`))
      addLatinName(n, out, out.han.size > 0);
  }
  if (out.forms.size === 0 && out.han.size === 0) return null;
  return {
    han: [...out.han],
    forms: [...out.forms],
    family: [...out.family].filter(Boolean),
    frequencyKey: out.frequencyKey ?? '',
  };
}

function identifierValue(patient: Patient, system: string, typeCode?: string): string | undefined {
  const ids = patient.identifier ?? [];
  const found =
    ids.find((i) => i.system === system && i.value) ??
    (typeCode ? ids.find((i) => i.type?.coding?.some((c) => c.code === typeCode) && i.value) : undefined);
  return found?.value;
}

/** Passport and permit numbers: identifiers of a travel-document system or of type PPN. */
function travelDocuments(patient: Patient): string[] {
  const out = new Set<string>();
  for (const i of patient.identifier ?? []) {
    const passport = i.type?.coding?.some((c) => c.code === 'PPN');
    if (!i.value || !(isTravelDocumentSystem(i.system) || passport)) continue;
    const value = i.value
      .normalize('NFKC')
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, '');
    if (value.length >= 5) out.add(value);
  }
  return [...out];
}

function replacedBy(patient: Patient): string | null {
  for (const link of patient.link ?? []) {
    const m = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(link.other?.reference ?? '');
    if (link.type === 'replaced-by' && m?.[1]) return m[1];
  }
  return null;
}

/** Normalises a Patient for matching; `today` (YYYY-MM-DD) decides which birth dates are in the future. */
export function toMatchRecord(
  han: HanConverter,
  patient: Patient,
  options: { custodian?: string | null; today: string },
): MatchRecord {
  const flags: RecordFlag[] = [];
  const name = readNames(han, patient.name);
  if (!name) flags.push('name-missing');
  const birth = readBirthDate(patient.birthDate, options.today);
  if (birth.flag) flags.push(birth.flag);
  const gender = patient.gender === 'male' || patient.gender === 'female' ? patient.gender : null;
  // A foreigner's permanent residence ID has the resident ID's layout and check character.
  const rawId =
    identifierValue(patient, RESIDENT_ID_SYSTEM, 'NI') ??
    identifierValue(patient, FOREIGN_PERMANENT_RESIDENCE_SYSTEM);
  const id = rawId ? readResidentId(rawId) : null;
  if (id && !id.isValid) flags.push('id-invalid');
  if (id?.wasLegacy) flags.push('id-legacy');
  if (id?.isValid && birth.value && id.birthDate !== birth.value) flags.push('id-birth-date-mismatch');
  if (id?.isValid && gender && id.gender !== gender) flags.push('id-gender-mismatch');
  const phones = new Set<string>();
  for (const t of patient.telecom ?? []) {
    if (t.system && t.system !== 'phone' && t.system !== 'sms') continue;
    const p = t.value ? normalisePhone(t.value) : null;
    if (p) phones.add(p);
  }
  const card = identifierValue(patient, HEALTH_CARD_SYSTEM)?.replace(/\s/g, '') ?? null;
  return {
    id: patient.id ?? '',
    custodian: options.custodian ?? null,
    name,
    birthDate: birth.value,
    birthYear: birth.year,
    gender,
    residentId: id?.value ?? null,
    idValid: id?.isValid ?? false,
    healthCard: card,
    documents: travelDocuments(patient),
    phones: [...phones],
    address: readAddress(han, patient.address),
    replacedBy: replacedBy(patient),
    flags,
  };
}
