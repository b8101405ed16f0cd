/**
 * `npm run bench:auth [-- --residents 2000 --seconds 10]` (issue #4): on a fresh PostgreSQL
 * database with a synthetic region,
 *  1. read-by-id and search latency for a clinician (per-row access checks in SQL) against the same
 *     calls by a platform system client whose `system/*.cruds` scope needs none;
 *  2. the CRUD mix with and without access control and audit (the platform composed without
 *     `auth`), and the audit events written against the requests made (none may be lost);
 *  3. token validations per second (bench/auth/tokens.ts, one core).
 * Prints a Markdown section for BENCHMARKS.md; raw figures go to bench/out/auth-results.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { authorize } from '@yiyun/auth';
import { createValidator, parseSearchRequest } from '@yiyun/fhir';
import { createPlatform } from '@yiyun/server';
import pino from 'pino';
import { loadDemoRegion } from '../../packages/cli/src/demo/load-demo.ts';
import { createAccessFixture, POLICY } from '../../packages/server/test/access/access-fixture.ts';
import { crudMix } from '../fhir/phases.ts';
import { type BenchFetch, benchClient } from '../lib/client.ts';
import { fmt, type LoadResult, runLoad } from '../lib/load.ts';
import { machineLine } from '../lib/machine.ts';

process.env['YIYUN_TEST_STORE'] = 'postgres';
const { values: args } = parseArgs({
  options: { residents: { type: 'string', default: '2000' }, seconds: { type: 'string', default: '10' } },
});
const durationMs = Number(args.seconds) * 1000;
const out = new URL('../out/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });

await using fx = await createAccessFixture();
const validator = createValidator();
const loaded = await loadDemoRegion({
  store: fx.store,
  residents: Number(args.residents),
  outDir: `${out}/auth-region`,
  validate: (r) => validator.assertValid(r),
});
console.log(`region: ${loaded.created} resources`);

// The clinician works at the hospital holding the most encounters.
const [{ org }] = (await fx.store.database.sql`
  select custodian as org from resource where type = 'Encounter' group by custodian order by count(*) desc limit 1`) as unknown as [
  { org: string },
];
const clinician = await fx.userToken({ username: 'bench-doctor', roles: ['clinician'], organization: org });
const system = await fx.systemToken('bench-platform');
const scope = authorize(
  {
    kind: 'user',
    subject: clinician.accountId,
    clientId: 'portal',
    roles: ['clinician'],
    organization: org,
    scopes: ['user/*.cruds'],
  },
  POLICY,
).scope;
// Requests both callers may make: Observations and patients the clinician can see.
const visible = await fx.store
  .repository(scope)
  .search(parseSearchRequest('Observation', new URLSearchParams({ _count: '500' }), fx.store.registry));
const observations = visible.matches as Observation[];
const patients = [...new Set(observations.map((o) => o.subject?.reference ?? ''))].filter(Boolean);
console.log(
  `clinician at ${org}: ${observations.length} observations, ${patients.length} patients in the request set`,
);

const as = (token: string): BenchFetch => benchClient(fx.origin, async () => token);
async function measure(http: BenchFetch, path: (i: number) => string): Promise<LoadResult> {
  return runLoad({
    concurrency: 8,
    durationMs,
    fn: async (w, i) => {
      const res = await http(`/fhir/R4/${path(i * 8 + w)}`);
      await res.arrayBuffer();
      return res.status === 200;
    },
  });
}
const pick = <T>(xs: readonly T[], i: number) => xs[(i * 7919) % xs.length]!;
const shapes = {
  read: (i: number) => `Observation/${pick(observations, i).id}`,
  search: (i: number) => `Observation?subject=${encodeURIComponent(pick(patients, i))}&_count=20`,
};
const latency: Record<string, { system: LoadResult; clinician: LoadResult; overhead: number }> = {};
for (const [name, path] of Object.entries(shapes)) {
  const s = await measure(as(system), path);
  const c = await measure(as(clinician.token), path);
  latency[name] = { system: s, clinician: c, overhead: c.p50 / s.p50 - 1 };
  console.log(
    `${name}: system ${fmt(s)} | clinician ${fmt(c)} | p50 overhead ${(latency[name].overhead * 100).toFixed(1)} %`,
  );
}

// CRUD mix on the platform composed without access control or audit, then with both.
const open = createPlatform({
  store: fx.store,
  logger: pino({ level: 'silent' }),
  config: {
    baseUrl: 'http://127.0.0.1',
    dataDir: '/nonexistent',
    maxBodyBytes: 8 << 20,
    maxUploadBytes: 8 << 20,
    importAllowedOrigins: [],
    defaultCount: 20,
    maxCount: 1000,
  },
});
const { getRequestListener } = await import('@hono/node-server');
const openServer = createServer(getRequestListener(open.app.fetch));
await new Promise<void>((r) => openServer.listen(0, '127.0.0.1', r));
const openUrl = `http://127.0.0.1:${(openServer.address() as AddressInfo).port}`;
const crudPatients = (
  await fx.store
    .repository()
    .search(parseSearchRequest('Patient', new URLSearchParams({ _count: '1000' }), fx.store.registry))
).matches as Patient[];
const withoutAuth = await crudMix(
  benchClient(openUrl, async () => ''),
  crudPatients,
  8,
  durationMs,
);
await fx.audit.flush();
const [{ before }] = (await fx.store.database
  .sql`select count(*)::int as before from audit_event`) as unknown as [{ before: number }];
let calls = 0;
const systemHttp = as(system);
const counted: BenchFetch = (path, init) => {
  calls++;
  return systemHttp(path, init);
};
const withAuth = await crudMix(counted, crudPatients, 8, durationMs);
await fx.audit.flush();
const [{ after }] = (await fx.store.database
  .sql`select count(*)::int as after from audit_event`) as unknown as [{ after: number }];
openServer.closeAllConnections();
openServer.close();
console.log(`crud without auth: ${fmt(withoutAuth)}`);
console.log(`crud with auth+audit: ${fmt(withAuth)}; audit events ${after - before} for ${calls} calls`);

const tokens = execFileSync(
  process.execPath,
  [new URL('./tokens.ts', import.meta.url).pathname, '--seconds', '5'],
  {
    encoding: 'utf8',
  },
).trim();
console.log(tokens);

const results = {
  date: new Date().toISOString(),
  machine: machineLine(),
  resources: loaded.created,
  latency,
  crud: {
    withoutAuth,
    withAuth,
    auditEvents: after - before,
    calls,
    throughputCost: 1 - withAuth.rps / withoutAuth.rps,
  },
  tokens,
};
writeFileSync(`${out}/auth-results.json`, JSON.stringify(results, null, 2));
console.log('\nresults written to bench/out/auth-results.json');
