import { idCheckDigit, isValidResidentId } from '@yiyun/fhir';

/** A resident ID number as read from a record, normalised and checked (GB 11643-1999). */
export interface ResidentIdFacts {
  /** The 18-character number (15-digit legacy numbers converted); null when unusable. */
  readonly value: string | null;
  /** True when the check character and the birth date it encodes are valid. */
  readonly isValid: boolean;
  readonly wasLegacy: boolean;
  /** Birth date (YYYY-MM-DD) and sex the number encodes, when it parses. */
  readonly birthDate: string | null;
  readonly gender: 'male' | 'female' | null;
}

function isoFromDigits(yyyymmdd: string): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1850 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/**
 * 15-digit numbers (issued before 1999: 6-digit area, YYMMDD, 3-digit sequence) become 18 digits by
 * inserting the century "19" and appending the MOD 11-2 check character (GB 11643-1999 §8).
 */
export function upgradeLegacyId(id15: string): string | null {
  if (!/^\d{15}$/.test(id15)) return null;
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + idCheckDigit(first17);
}

/** Normalises spacing and case (x → X), converts legacy numbers, and reads what the number encodes. */
export function readResidentId(raw: string): ResidentIdFacts {
  const compact = raw.replace(/[\s-]/g, '').toUpperCase();
  const legacy = /^\d{15}$/.test(compact);
  const value = legacy ? upgradeLegacyId(compact) : /^\d{17}[\dX]$/.test(compact) ? compact : null;
  if (!value) return { value: null, isValid: false, wasLegacy: legacy, birthDate: null, gender: null };
  const birthDate = isoFromDigits(value.slice(6, 14));
  const sequence = Number(value.charAt(16));
  return {
    value,
    isValid: isValidResidentId(value),
    wasLegacy: legacy,
    birthDate,
    gender: sequence % 2 === 1 ? 'male' : 'female',
  };
}
