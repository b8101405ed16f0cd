/**
 * `npm run bench:fhir [-- --residents 25000 --seconds 15]`: the FHIR benchmark of issue #2 on a
 * PostgreSQL server on this machine. Prints a Markdown section for BENCHMARKS.md and writes the raw
 * figures to bench/out/fhir-results.json.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { createTestDatabase } from '@yiyun/store/testing';
import postgres from 'postgres';
import type { LoadResult } from '../lib/load.ts';
import { benchResults } from '../lib/results.ts';
import { startBenchServer } from '../lib/server.ts';
import { buildTransactionBundles, ensureRegion, ndjsonFiles, readResources } from './data.ts';
import { crudMix, importViaHttp, searchLoad, transactionIngest } from './phases.ts';
import { measureRawCopy } from './raw-copy.ts';

const { values: args } = parseArgs({
  options: {
    residents: { type: 'string', default: '25000' },
    seed: { type: 'string', default: 'bench' },
    seconds: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '8' },
  },
});
const residents = Number(args.residents);
const durationMs = Number(args.seconds) * 1000;
const concurrency = Number(args.concurrency);
const { outDir, log, save } = benchResults(residents);

await using db = await createTestDatabase();
const sql = postgres(db.url, { max: 2, onnotice: () => {} });
const dataDir = join(outDir, 'server-data');
const region = await ensureRegion(outDir, residents, args.seed);
const server = await startBenchServer({ databaseUrl: db.url, dataDir });
try {
  // 1. $import of the whole region, then PostgreSQL's raw COPY of the same rows.
  const imported = await importViaHttp(server.http, ndjsonFiles(region));
  log('import', imported);
  const raw = await measureRawCopy(sql, '/tmp');
  const rawPerSecond = imported.resources / raw.seconds;
  log('rawCopy', {
    ...raw,
    resourcesPerSecond: rawPerSecond,
    importShare: imported.perSecond / rawPerSecond,
  });

  // 2. Transaction bundles of another generated region (new resources).
  const bundleRegion = await ensureRegion(outDir, 3000, `${args.seed}-bundles`);
  const bundles = buildTransactionBundles(bundleRegion, 200, 150);
  log('transactions', await transactionIngest(server.http, bundles, 4));

  // 3. CRUD mix.
  const patients = readResources<Patient>(region, 'Patient', 20_000);
  log('crud', await crudMix(server.http, patients, concurrency, durationMs));

  // 4. Five search shapes at ≥ 1 M resources.
  const observations = readResources<Observation>(region, 'Observation', 20_000);
  const idOf = (p: Patient) => p.identifier?.find((x) => x.system?.endsWith('cn-resident-id'));
  const pick = <T>(xs: readonly T[], i: number) => xs[(i * 7919) % xs.length]!;
  const shapes: Record<string, (i: number) => string> = {
    token: (i) => {
      const id = idOf(pick(patients, i));
      return `Patient?identifier=${encodeURIComponent(`${id?.system}|${id?.value}`)}`;
    },
    dateRange: (i) => {
      const day = new Date(Date.UTC(2022, 0, 1) + (i % 1000) * 86_400_000).toISOString().slice(0, 10);
      return `Encounter?date=ge${day}&date=lt${day}T06:00:00Z&_count=20`;
    },
    stringPrefix: (i) =>
      `Patient?family=${encodeURIComponent(pick(patients, i).name?.[0]?.family ?? '王')}&given=${encodeURIComponent((pick(patients, i).name?.[0]?.given?.[0] ?? '').slice(0, 1))}&_count=20`,
    chained: (i) => {
      const id = idOf(pick(patients, i));
      return `Observation?subject:Patient.identifier=${encodeURIComponent(`${id?.system}|${id?.value}`)}&code=http://loinc.org|85354-9&_count=20`;
    },
    include: (i) =>
      `Observation?subject=${encodeURIComponent(pick(observations, i).subject?.reference ?? '')}&_include=Observation:encounter&_count=20`,
  };
  const searches: Record<string, LoadResult> = {};
  for (const [name, query] of Object.entries(shapes))
    searches[name] = await searchLoad(server.http, query, concurrency, durationMs);
  log('searches', searches);

  // 5. Patient/$everything for a patient with ~1,000 resources.
  const heavy = pick(patients, 42);
  const extra: Bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: Array.from({ length: 960 }, (_, i) => ({
      resource: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: i % 2 ? '8867-4' : '29463-7' }] },
        subject: { reference: `Patient/${heavy.id}` },
        effectiveDateTime: new Date(Date.UTC(2021, 0, 1) + i * 3_600_000).toISOString(),
        valueQuantity: {
          value: 50 + (i % 50),
          unit: i % 2 ? '/min' : 'kg',
          system: 'http://unitsofmeasure.org',
          code: i % 2 ? '/min' : 'kg',
        },
      } satisfies Observation,
      request: { method: 'POST', url: 'Observation' },
    })),
  };
  const batch = await server.http('/fhir/R4', {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', prefer: 'return=minimal' },
    body: JSON.stringify(extra),
  });
  if (batch.status !== 200) throw new Error(`batch failed: ${batch.status}`);
  const sizeCheck = (await (
    await server.http(`/fhir/R4/Patient/${heavy.id}/$everything?_count=5000`)
  ).json()) as Bundle;
  const everything = await searchLoad(
    server.http,
    () => `Patient/${heavy.id}/$everything?_count=5000`,
    2,
    durationMs,
  );
  log('everything', { entries: sizeCheck.entry?.length ?? 0, ...everything });

  // 6. Database size.
  const [{ size, resources }] = (await sql`
    select pg_database_size(current_database())::float8 as size,
           (select count(*) from resource)::float8 + (select count(*) from resource_history)::float8 as resources`) as unknown as [
    { size: number; resources: number },
  ];
  log('size', { bytes: size, resources, gbPer2M: ((size / resources) * 2e6) / 1e9 });
} finally {
  await server.stop();
  await sql.end();
}
save('fhir-results.json');
console.log(`\nresults written to bench/out/fhir-results.json`);
