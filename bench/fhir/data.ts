/** Benchmark data: a synthetic region from `@yiyun/synth`, generated once per size and seed. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { generateRegion, ndjsonDirectorySink } from '@yiyun/synth';

export async function ensureRegion(outRoot: string, residents: number, seed: string): Promise<string> {
  const dir = join(outRoot, `synth-${seed}-${residents}`);
  if (existsSync(join(dir, 'Patient.ndjson'))) return dir;
  const t = performance.now();
  const summary = await generateRegion(
    { seed, asOf: '2026-06-30', residents, out: dir, dicom: false, outbreaks: true, years: 5 },
    ndjsonDirectorySink(dir),
  );
  console.log(
    `generated ${residents} residents → ${summary.resources} resources in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  return dir;
}

export function ndjsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.ndjson'))
    .sort()
    .map((n) => join(dir, n));
}

export function readResources<T extends Resource>(dir: string, type: string, limit = Infinity): T[] {
  const path = join(dir, `${type}.ndjson`);
  if (!existsSync(path)) return [];
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    out.push(JSON.parse(line) as T);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Transaction bundles of real generated records: each patient with the resources that point at
 * it, ids replaced by `urn:uuid:` fullUrls and references rewritten, ~`size` entries a bundle.
 */
export function buildTransactionBundles(dir: string, size: number, maxBundles: number): Bundle[] {
  const patients = readResources(dir, 'Patient');
  const byPatient = new Map<string, Resource[]>();
  for (const type of ['Encounter', 'Observation', 'Condition', 'MedicationRequest', 'Immunization']) {
    for (const r of readResources(dir, type)) {
      const ref = /"reference":"Patient\/([^"]+)"/.exec(JSON.stringify(r))?.[1];
      if (!ref) continue;
      const list = byPatient.get(ref) ?? [];
      list.push(r);
      byPatient.set(ref, list);
    }
  }
  const bundles: Bundle[] = [];
  let entries: BundleEntry[] = [];
  for (const patient of patients) {
    const related = byPatient.get(patient.id!) ?? [];
    const ids = new Map<string, string>([[`Patient/${patient.id}`, `urn:uuid:${crypto.randomUUID()}`]]);
    for (const r of related) ids.set(`${r.resourceType}/${r.id}`, `urn:uuid:${crypto.randomUUID()}`);
    for (const r of [patient, ...related]) {
      let json = JSON.stringify({ ...r, id: undefined });
      json = json.replace(/"reference":"([A-Za-z]+\/[^"]+)"/g, (m, ref: string) =>
        ids.has(ref) ? `"reference":"${ids.get(ref)}"` : m,
      );
      entries.push({
        fullUrl: ids.get(`${r.resourceType}/${r.id}`),
        resource: JSON.parse(json) as Resource,
        request: { method: 'POST', url: r.resourceType },
      });
    }
    if (entries.length >= size) {
      bundles.push({ resourceType: 'Bundle', type: 'transaction', entry: entries });
      entries = [];
      if (bundles.length >= maxBundles) break;
    }
  }
  return bundles;
}
