import { idCheckDigit } from '@yiyun/fhir';

export { idCheckDigit, isValidResidentId } from '@yiyun/fhir';

/**
 * Builds an ID number (GB 11643-1999; the check character is computed by `idCheckDigit`). `sequence` 0–499 picks the n-th odd (male) or even (female) 3-digit sequence,
 * so sex is always encoded correctly.
 */
export function buildResidentId(opts: {
  areaCode: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'male' | 'female';
  sequence: number;
}): string {
  const seq = (opts.sequence % 500) * 2 + (opts.sex === 'male' ? 1 : 0);
  const first17 = `${opts.areaCode}${opts.birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}
