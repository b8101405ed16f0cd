import { InvalidArgumentError } from 'commander';

/** Largest demo accepted on the command line (the generator's own limit). */
const MAX_DEMO_RESIDENTS = 10_000_000;

/**
 * `--demo-residents <n>`: a whole number, 0 = no demo region. Commander turns the error into a
 * usage error (exit code 2) that names the flag.
 */
export function parseDemoResidents(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_DEMO_RESIDENTS)
    throw new InvalidArgumentError(`must be a whole number from 0 (no demo region) to ${MAX_DEMO_RESIDENTS}`);
  return n;
}
