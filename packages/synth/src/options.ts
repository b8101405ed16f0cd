import { AppError } from '@yiyun/fhir';

export const DEFAULT_OPTIONS = {
  seed: 'yiyun',
  asOf: '2026-06-30',
  residents: 2000,
  out: './synth-out',
  dicom: false,
  outbreaks: false,
  years: 5,
} as const;

/** Largest run accepted (10 M residents, about 3× Xiamen). */
export const MAX_RESIDENTS = 10_000_000;

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Throws AppError('invalid') naming the first bad option. */
export function validateSynthOptions(o: {
  seed: string;
  asOf: string;
  residents: number;
  years: number;
  out: string;
}): void {
  if (o.seed.length === 0) throw new AppError('invalid', '--seed must not be empty');
  if (!isRealDate(o.asOf))
    throw new AppError('invalid', `--as-of must be a real date YYYY-MM-DD, got "${o.asOf}"`);
  const year = Number(o.asOf.slice(0, 4));
  if (year < 1950 || year > 2100)
    throw new AppError('invalid', `--as-of must be between 1950 and 2100, got ${o.asOf}`);
  if (!Number.isInteger(o.residents) || o.residents < 1 || o.residents > MAX_RESIDENTS) {
    throw new AppError(
      'invalid',
      `--residents must be an integer from 1 to ${MAX_RESIDENTS}, got ${o.residents}`,
    );
  }
  if (!Number.isInteger(o.years) || o.years < 1 || o.years > 30) {
    throw new AppError('invalid', `--years must be an integer from 1 to 30, got ${o.years}`);
  }
  if (o.out.length === 0) throw new AppError('invalid', '--out must not be empty');
}
