/**
 * How many audit events per second the group-committed writer sustains on PostgreSQL with 16
 * concurrent writers (each awaiting its record before the next, like requests do), against the same
 * load with one INSERT per event; then how fast the log seals and verifies. Not a test: it prints.
 *
 *   npx node packages/auth/src/audit/scripts/measure-writer.ts [seconds] [max INSERTs in flight] [writers]
 */
import { openStore } from '@yiyun/store';
import { createTestDatabase } from '@yiyun/store/testing';
import { openAuditLog } from '../audit-log.ts';
import type { AuditRecord } from '../record.ts';

const seconds = Number(process.argv[2] ?? 5);
const maxInFlight = Number(process.argv[3] ?? 2);
const WRITERS = Number(process.argv[4] ?? 16);

const sample = (i: number): AuditRecord => ({
  kind: i % 5 === 0 ? 'search' : 'read',
  outcome: 'success',
  agent: {
    account: `acct-${i % 50}`,
    clientId: 'web-portal',
    who: `Practitioner/pr-${i % 50}`,
    organization: `org-${i % 7}`,
    roles: ['clinician'],
    address: '10.1.2.3',
  },
  patients: [`p-${i % 1000}`],
  entities:
    i % 5 === 0
      ? [{ reference: 'Observation', query: `subject=Patient/p-${i % 1000}&code=8480-6` }]
      : [{ reference: `Observation/o-${i}` }],
  requestId: `req-${i}`,
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function run(label: string, url: string, maxBatchInsert: number) {
  const store = await openStore({ databaseUrl: url, maxConnections: 10, registryPollMs: 0 });
  const log = await openAuditLog({ sql: store.database.sql, maxBatchInsert, maxInFlight });
  const latencies: number[] = [];
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await log.record(sample(n++));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const { inserts, written } = log.stats;
  console.log(
    `${label}: ${Math.round(written / elapsed)} events/s (${written} in ${elapsed.toFixed(1)} s), ` +
      `${inserts} INSERTs (${(written / inserts).toFixed(1)} events each), ` +
      `record latency p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms`,
  );
  await log.close();
  await store.close();
  return written;
}

async function sealAndVerify(url: string, events: number) {
  const store = await openStore({ databaseUrl: url, maxConnections: 4, registryPollMs: 0 });
  const log = await openAuditLog({ sql: store.database.sql, sealMarginMs: 0 });
  let t0 = performance.now();
  let sealed = 0;
  for (;;) {
    const report = await log.seal();
    if (report.events === 0) break;
    sealed += report.events;
  }
  const sealSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const report = await log.verify();
  const verifySeconds = (performance.now() - t0) / 1000;
  console.log(
    `seal: ${sealed} of ${events} events in ${sealSeconds.toFixed(2)} s (${Math.round(sealed / sealSeconds)}/s); ` +
      `verify: ${report.sealedEvents} events, ${report.batches} batches in ${verifySeconds.toFixed(2)} s ` +
      `(${Math.round(report.sealedEvents / verifySeconds)}/s), ok=${report.ok}`,
  );
  await log.close();
  await store.close();
}

await using grouped = await createTestDatabase();
console.log(`${WRITERS} concurrent writers, ${seconds} s each, ≤ ${maxInFlight} INSERTs in flight`);
const written = await run('group commit (≤500 per INSERT)', grouped.url, 500);
await sealAndVerify(grouped.url, written);
await using single = await createTestDatabase();
await run('one INSERT per event', single.url, 1);
