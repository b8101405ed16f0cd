/**
 * Timing script (not a test): extraction throughput on one core.
 * Run: npx node packages/fhir/src/search/bench-extract.ts
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { extractIndexEntries } from './extract.ts';
import { createSearchParamRegistry } from './registry.ts';

const dir = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
const load = (f: string) => JSON.parse(readFileSync(join(dir, `${f}.json`), 'utf8')) as Resource;

let t = performance.now();
const registry = createSearchParamRegistry();
console.log(`registry build: ${(performance.now() - t).toFixed(0)} ms`);

for (const file of [
  'Observation-blood-pressure',
  'Observation-example-genetics-1',
  'Patient-example',
  'Patient-xcda',
]) {
  const resource = load(file);
  for (let i = 0; i < 2000; i++) extractIndexEntries(resource, registry);
  const n = 20_000;
  t = performance.now();
  let entries = 0;
  for (let i = 0; i < n; i++) entries = extractIndexEntries(resource, registry).length;
  const perSecond = Math.round(n / ((performance.now() - t) / 1000));
  console.log(`${file}: ${perSecond} resources/s (${entries} entries each)`);
}
