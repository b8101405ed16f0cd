/**
 * The Patients (and Organizations) of a generated region, without the clinical records: the
 * registry benchmark needs a city's worth of residents, not their care history. Cached by size and
 * seed under bench/out/. Ground truth (who is whom) comes with it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateRegion, ndjsonDirectorySink, type ResourceSink } from '@yiyun/synth';

const KEPT = new Set(['Organization', 'Patient']);

function patientsOnly(inner: ResourceSink): ResourceSink {
  return {
    write: (resource) => (KEPT.has(resource.resourceType) ? inner.write(resource) : undefined),
    close: () => inner.close(),
  };
}

export async function patientsRegion(
  residents: number,
  seed: string,
  onProgress?: (done: number, total: number) => void,
): Promise<string> {
  const out = join(process.cwd(), 'bench/out', `mpi-patients-${seed}-${residents}`);
  if (existsSync(join(out, 'ground-truth/summary.json'))) return out;
  await generateRegion(
    { seed, asOf: '2026-06-30', residents, out, dicom: false, outbreaks: false, years: 1 },
    patientsOnly(ndjsonDirectorySink(out)),
    onProgress,
  );
  return out;
}
