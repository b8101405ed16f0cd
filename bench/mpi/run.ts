/**
 * `npm run bench:mpi [-- --residents 1000000 --seconds 30 --concurrency 4]`: the resident-registry
 * benchmark of issue #5 on the PostgreSQL server of this machine.
 * 1. Bulk import of a region's Patients with the registry linking while the import runs (the
 *    platform's background linker, here a drain loop in the same process): linking throughput,
 *    queue lag, peak memory of the process.
 * 2. `Patient/$match` over HTTP against `yiyun serve` on the linked registry: latency percentiles.
 * Prints a Markdown section for BENCHMARKS.md; raw figures go to bench/out/mpi-results.json.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Patient } from '@medplum/fhirtypes';
import { createFhirSchema, createValidator } from '@yiyun/fhir';
import { ResidentRegistry } from '@yiyun/mpi';
import { asQueryable, importNdjson, openStore } from '@yiyun/store';
import { createTestDatabase } from '@yiyun/store/testing';
import { runLoad } from '../lib/load.ts';
import { benchResults } from '../lib/results.ts';
import { startBenchServer } from '../lib/server.ts';
import { patientsRegion } from './patients-region.ts';

const { values: args } = parseArgs({
  options: {
    residents: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: 'bench-mpi' },
    seconds: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '4' },
    // A database kept for later runs: created and loaded when empty, reused (phase 1 skipped) when not.
    'database-url': { type: 'string' },
  },
});
const residents = Number(args.residents);
const { outDir, log, save } = benchResults(residents);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/**
 * Lines read lazily: a readline interface created before its iterator is awaited loses what it
 * reads meanwhile (the worker pool takes seconds to start).
 */
async function* fileLines(path: string): AsyncGenerator<string> {
  yield* createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
}

let t = performance.now();
let lastShown = 0;
const dir = await patientsRegion(residents, args.seed, (done, total) => {
  if (done - lastShown >= 100_000 || done === total) {
    lastShown = done;
    console.error(`generated ${done}/${total} residents`);
  }
});
log('generate', { seconds: (performance.now() - t) / 1000, dir });

await using fresh = args['database-url'] ? undefined : await createTestDatabase();
const databaseUrl = args['database-url'] ?? fresh!.url;
const store = await openStore({ databaseUrl });
const registry = await ResidentRegistry.open({ database: store.database });
const q = asQueryable(store.database.sql);
const already = Number(
  (await q.unsafe<{ n: string }[]>(`select count(*)::text as n from resource where type = 'Patient'`))[0]?.n,
);
let imported = already;
if (already === 0) await bulkImportWithLinking();
else console.log(`reusing ${databaseUrl}: ${already} Patients loaded`);
await relinkSample();
await store.close();

/**
 * Linking alone at the registry's full size: a sample of the loaded records queued again and
 * linked with nothing else running (the bulk phase shares two cores with the import).
 */
async function relinkSample(): Promise<void> {
  const sample = Math.min(50_000, imported);
  await q.unsafe(
    `insert into resource_change (rid, type)
     select rid, type from resource where type = 'Patient' and not deleted order by rid desc limit $1::int4`,
    [sample],
  );
  const started = performance.now();
  const report = await registry.drain();
  const seconds = (performance.now() - started) / 1000;
  log('relinkAtFullSize', { records: report.linked, seconds, perSecond: report.linked / seconds });
}

async function bulkImportWithLinking(): Promise<void> {
  // 1. Bulk import with linking alongside, as the platform's background linker does.
  const validator = createValidator({ schema: createFhirSchema() });
  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 250);
  let importing = true;
  let linked = 0;
  let newPersons = 0;
  let reviews = 0;
  let busySeconds = 0;
  t = performance.now();
  const linker = (async () => {
    for (;;) {
      const started = performance.now();
      const report = await registry.drain();
      if (report.linked) busySeconds += (performance.now() - started) / 1000;
      linked += report.linked;
      newPersons += report.newPersons;
      reviews += report.reviews;
      if (report.linked === 0) {
        if (!importing) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  let lastProgress = 0;
  for (const type of ['Organization', 'Patient']) {
    const report = await importNdjson([{ name: type, lines: fileLines(join(dir, `${type}.ndjson`)) }], {
      database: store.database,
      registry: store.registry,
      validate: (r) => validator.assertValid(r),
      workers: 2, // as `$import` runs
      onProgress: (p) => {
        if (p.created - lastProgress >= 100_000) {
          lastProgress = p.created;
          console.error(`imported ${p.created} ${type}, linked ${linked}`);
        }
      },
    });
    if (report.failed) throw new Error(`${report.failed} ${type} lines failed: ${report.issues[0]?.message}`);
    if (type === 'Patient') imported = report.created;
  }
  const importSeconds = (performance.now() - t) / 1000;
  const linkedWhenImportEnded = linked;
  importing = false;
  await linker;
  const linkSeconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  const size = await q.unsafe<{ persons: string; blocks: string }[]>(
    'select (select count(*) from mpi_person)::text as persons, (select count(*) from mpi_block)::text as blocks',
  );
  log('bulkImport', {
    patients: imported,
    importSeconds,
    importPerSecond: imported / importSeconds,
    linked,
    linkedWhenImportEnded,
    linkSeconds,
    linkPerSecond: linked / linkSeconds,
    linkerBusySeconds: busySeconds,
    linkPerBusySecond: linked / busySeconds,
    lagAtImportEndSeconds: linkSeconds - importSeconds,
    newPersons,
    reviews,
    persons: Number(size[0]?.persons),
    blockRows: Number(size[0]?.blocks),
    peakRss: mb(peakRss),
    peakHeap: mb(peakHeap),
  });
}

// 2. $match over HTTP: demographics of registered records with fields left out, as a desk types them.
const patients: Patient[] = [];
const stride = Math.max(1, Math.floor(imported / 5000));
let lineNo = 0;
for await (const line of fileLines(join(dir, 'Patient.ndjson')))
  if (line && lineNo++ % stride === 0) patients.push(JSON.parse(line) as Patient);
const queryOf = (p: Patient, i: number): Patient => {
  const { id: _id, meta: _meta, managingOrganization: _org, ...rest } = p;
  const keep = i % 3;
  return {
    ...rest,
    // one in three without the ID number, one in three without the phone
    identifier: keep === 0 ? [] : (p.identifier ?? []).filter((x) => !x.system?.endsWith('/mrn')),
    ...(keep === 1 ? { telecom: [] } : {}),
  };
};
const server = await startBenchServer({ databaseUrl, dataDir: join(outDir, 'mpi-server-data') });
try {
  const call = async (i: number) => {
    const res = await server.http('/fhir/R4/Patient/$match', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'resource', resource: queryOf(patients[i % patients.length]!, i) },
          { name: 'count', valueInteger: 5 },
        ],
      }),
    });
    const body = (await res.json()) as { total?: number; entry?: unknown[] };
    return res.ok && (body.entry?.length ?? 0) > 0;
  };
  await runLoad({ concurrency: 2, durationMs: 5_000, fn: (_w, i) => call(i + 100_000) }); // warm-up
  for (const concurrency of [1, Number(args.concurrency)]) {
    const result = await runLoad({
      concurrency,
      durationMs: Number(args.seconds) * 1000,
      fn: (w, i) => call(w * 1_000_000 + i),
    });
    log(`$match, ${concurrency} client(s)`, result);
  }
} finally {
  await server.stop();
}
save('mpi-results.json');
