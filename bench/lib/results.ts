/** The figures a benchmark prints as it goes and saves as JSON under bench/out/ at the end. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, type LoadResult } from './load.ts';
import { machineLine } from './machine.ts';

export interface BenchResults {
  /** bench/out/, created. */
  readonly outDir: string;
  /** Records a figure and prints it (a load result as req/s and percentiles). */
  log(label: string, value: unknown): void;
  /** Writes everything recorded to bench/out/<file>. */
  save(file: string): void;
}

export function benchResults(residents: number): BenchResults {
  const outDir = new URL('../out/', import.meta.url).pathname;
  mkdirSync(outDir, { recursive: true });
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: machineLine(),
    residents,
  };
  return {
    outDir,
    log(label, value) {
      results[label] = value;
      const isLoad = typeof value === 'object' && value !== null && 'rps' in value;
      console.log(`${label}: ${isLoad ? fmt(value as LoadResult) : JSON.stringify(value)}`);
    },
    save(file) {
      writeFileSync(join(outDir, file), `${JSON.stringify(results, null, 2)}\n`);
    },
  };
}
