import type { TFunction } from 'i18next';
import type { AnyResource, Coding } from './timeline.tsx';

export const RESIDENT_ID_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-resident-id';
export const HEALTH_CARD_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-health-card';
export const RECORD_HOLDER = 'https://yiyun.dev/fhir/StructureDefinition/record-holder';

interface HumanName {
  text?: string;
  family?: string;
  given?: string[];
}

/** A Chinese name as written: family name then given name, no space (欧阳靖轩); Latin names spaced. */
export function displayName(patient: AnyResource): string {
  const name = (patient['name'] as HumanName[] | undefined)?.[0];
  if (!name) return '';
  if (name.text) return name.text;
  const given = (name.given ?? []).join('');
  const latin = /^[\x20-\x7e]*$/.test(`${name.family ?? ''}${given}`);
  return latin
    ? [name.family, ...(name.given ?? [])].filter(Boolean).join(' ')
    : `${name.family ?? ''}${given}`;
}

export function identifierValue(patient: AnyResource, system: string): string | undefined {
  return (patient['identifier'] as { system?: string; value?: string }[] | undefined)?.find(
    (i) => i.system === system,
  )?.value;
}

export function phoneOf(patient: AnyResource): string | undefined {
  return (patient['telecom'] as { system?: string; value?: string }[] | undefined)?.find(
    (t) => t.system === 'phone' || t.system === 'sms' || t.system === undefined,
  )?.value;
}

/** Age in whole years on `today` (Chinese clinicians read 周岁). */
export function ageOn(birthDate: string | undefined, today = new Date()): number | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}/.test(birthDate)) return undefined;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age--;
  return age;
}

export function holdersOf(golden: AnyResource): { id: string; name: string }[] {
  return (
    (golden['extension'] as { url?: string; valueReference?: { reference?: string; display?: string } }[]) ??
    []
  )
    .filter((e) => e.url === RECORD_HOLDER && e.valueReference?.reference)
    .map((e) => ({
      id: e.valueReference!.reference!.replace('Organization/', ''),
      name: e.valueReference!.display ?? e.valueReference!.reference!,
    }));
}

/** 男 · 68岁 (· 1958-03-07 with the birth date): how Chinese clinicians read a patient at a glance. */
export function demographics(patient: AnyResource, t: TFunction, withBirthDate = false): string {
  const gender = patient['gender'] as string | undefined;
  const birthDate = patient['birthDate'] as string | undefined;
  const age = ageOn(birthDate);
  return [
    gender ? t(`gender.${gender}`) : '',
    age !== undefined ? t('find.age', { age }) : '',
    withBirthDate ? (birthDate ?? '') : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export type { Coding };
