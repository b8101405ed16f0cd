import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createFhirSchema, createValidator } from '@yiyun/fhir';
import { importNdjson, type Store } from '@yiyun/store';

/** Generates a synthetic region's Patient records and ground truth with `yiyun synth` (cached by size and seed). */
export function synthRegion(residents: number, seed: string): string {
  const out = join(process.cwd(), 'bench/out', `mpi-${seed}-${residents}`);
  if (!existsSync(join(out, 'ground-truth/persons.ndjson')))
    execFileSync(
      process.execPath,
      [
        'packages/cli/src/main.ts',
        'synth',
        '--residents',
        String(residents),
        '--seed',
        seed,
        '--years',
        '1',
        '--out',
        out,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  return out;
}

/** Bulk-imports the region's Organizations and Patients (each Patient write queues a registry link). */
export async function importPatients(store: Store, dir: string): Promise<number> {
  const validator = createValidator({ schema: createFhirSchema() });
  let created = 0;
  for (const type of ['Organization', 'Patient']) {
    const lines = createInterface({ input: createReadStream(join(dir, `${type}.ndjson`)) });
    const report = await importNdjson([{ name: type, lines }], {
      database: store.database,
      registry: store.registry,
      validate: (r) => validator.assertValid(r),
    });
    created += report.created;
  }
  return created;
}

/** patient id → true person id, from the generator's ground truth. */
export function truePersons(dir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(join(dir, 'ground-truth/persons.ndjson'), 'utf8').split('\n')) {
    if (!line) continue;
    const t = JSON.parse(line) as { patient: string; person: string };
    map.set(t.patient, t.person);
  }
  return map;
}

/** Patient ids of foreign residents (Latin-alphabet names), from the ground truth's `nationality`. */
export function foreignPatients(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const line of readFileSync(join(dir, 'ground-truth/persons.ndjson'), 'utf8').split('\n')) {
    if (!line) continue;
    const t = JSON.parse(line) as { patient: string; nationality?: string };
    if (t.nationality) ids.add(t.patient);
  }
  return ids;
}
