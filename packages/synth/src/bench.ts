/**
 * Timing run (not a test): `node packages/synth/src/bench.ts 10000 [outDir]`. Prints resources/s on
 * this core and the process's peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRegion } from './generate.ts';
import { ndjsonDirectorySink } from './sink/ndjson-sink.ts';

const residents = Number(process.argv[2] ?? 10_000);
const out = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'yiyun-synth-bench-'));
const started = performance.now();
const summary = await generateRegion(
  { seed: 'bench', asOf: '2026-06-30', residents, out, dicom: false, outbreaks: true, years: 5 },
  ndjsonDirectorySink(out),
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ residents, resources: summary.resources, seconds: Math.round(seconds * 100) / 100, resourcesPerSecond: Math.round(summary.resources / seconds), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
if (process.argv[3] === undefined) rmSync(out, { recursive: true, force: true });
