/** The audit log's writer and queries on the real store (PGlite and PostgreSQL). */
import { createValidator } from '@yiyun/fhir';
import { createTestStore } from '@yiyun/store/testing';
import { describe, expect, it } from 'vitest';
import { type AuditLogOptions, type AuditRecord, openAuditLog } from '../src/audit/index.ts';

async function openTestLog(options: Partial<AuditLogOptions> = {}) {
  const store = await createTestStore({ registryPollMs: 0 });
  const log = await openAuditLog({ sql: store.database.sql, sealMarginMs: 0, ...options });
  return {
    log,
    sql: store.database.sql,
    async [Symbol.asyncDispose]() {
      await log.close();
      await store[Symbol.asyncDispose]();
    },
  };
}

const read = (i: number, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  kind: 'read',
  outcome: 'success',
  agent: {
    account: `acct-${i % 3}`,
    organization: `org-${i % 2}`,
    clientId: 'web',
    who: `Practitioner/pr-${i % 3}`,
  },
  patients: [`p-${i % 5}`],
  entities: [{ reference: `Observation/o-${i}` }],
  ...extra,
});

async function countRows(sql: Awaited<ReturnType<typeof openTestLog>>['sql']): Promise<number> {
  const [row] = await sql<{ n: string }[]>`select count(*) as n from audit_event`;
  return Number(row?.n);
}

describe('AuditLog.record', () => {
  it('group-commits many concurrent records into few INSERTs, all stored once resolved', async () => {
    await using t = await openTestLog({ maxBatchInsert: 500 });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => t.log.record(read(i))));
    expect(await countRows(t.sql)).toBe(1000);
    expect(t.log.stats.written).toBe(1000);
    expect(t.log.stats.inserts).toBeLessThanOrEqual(3);
  });

  it('has stored the event by the time one record resolves', async () => {
    await using t = await openTestLog();
    for (let i = 1; i <= 3; i++) {
      await t.log.record(read(i));
      expect(await countRows(t.sql)).toBe(i);
    }
  });

  it('rejects every waiting record when their INSERT fails, and recovers', async () => {
    await using t = await openTestLog();
    await t.sql`alter table audit_event add constraint no_deletes_test check (kind <> 'delete')`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => t.log.record(read(i, i === 7 ? { kind: 'delete' } : {}))),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'internal' });
    expect(await countRows(t.sql)).toBe(0);
    await t.sql`alter table audit_event drop constraint no_deletes_test`;
    await t.log.record(read(1));
    expect(await countRows(t.sql)).toBe(1);
  });

  it('rejects an invalid record without writing it', async () => {
    await using t = await openTestLog();
    await expect(t.log.record(read(1, { patients: ['not an id'] }))).rejects.toMatchObject({
      code: 'invalid',
    });
    expect(await countRows(t.sql)).toBe(0);
  });

  it('flushes on close and refuses records afterwards', async () => {
    await using t = await openTestLog();
    const pending = Array.from({ length: 10 }, (_, i) => t.log.record(read(i)));
    await t.log.close();
    await Promise.all(pending);
    expect(await countRows(t.sql)).toBe(10);
    await expect(t.log.record(read(11))).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('AuditLog.search and read', () => {
  it('filters by patient, agent, organization, kind, outcome and time, newest first with totals', async () => {
    await using t = await openTestLog();
    const base = Date.UTC(2024, 0, 1);
    const at = (minute: number) => new Date(base + minute * 60_000);
    await Promise.all(Array.from({ length: 30 }, (_, i) => t.log.record(read(i, { recorded: at(i) }))));
    await t.log.record(read(30, { kind: 'access-denied', outcome: 'minor-failure', recorded: at(30) }));

    const forPatient = await t.log.search({ patient: ['p-2'], count: 3, offset: 0 });
    expect(forPatient.total).toBe(6);
    expect(forPatient.events.map((e) => e.recorded)).toEqual(
      [at(27), at(22), at(17)].map((d) => d.toISOString()),
    );
    expect(forPatient.events.every((e) => e.entity?.some((x) => x.what?.reference === 'Patient/p-2'))).toBe(
      true,
    );

    const page2 = await t.log.search({ patient: ['p-2'], count: 3, offset: 3 });
    expect(page2.events.map((e) => e.recorded)).toEqual([at(12), at(7), at(2)].map((d) => d.toISOString()));

    expect((await t.log.search({ patient: ['p-1', 'p-2'], count: 0, offset: 0 })).total).toBe(12);
    expect((await t.log.search({ agent: 'acct-1', count: 100, offset: 0 })).total).toBe(10);
    expect(
      (await t.log.search({ organization: 'org-0', agent: 'acct-0', count: 100, offset: 0 })).total,
    ).toBe(6);
    const denied = await t.log.search({
      kind: ['access-denied'],
      outcome: ['minor-failure'],
      count: 10,
      offset: 0,
    });
    expect(denied.total).toBe(1);
    expect(denied.events[0]?.outcome).toBe('4');
    const window = await t.log.search({ since: at(10), before: at(20), count: 100, offset: 0 });
    expect(window.total).toBe(10);
    expect((await t.log.search({ patient: ['nobody'], count: 10, offset: 0 })).events).toEqual([]);
  });

  it('reads an event by its id, with meta.lastUpdated = recorded, as valid FHIR R4', async () => {
    await using t = await openTestLog();
    await t.log.record(read(1, { recorded: new Date('2024-03-01T10:00:00.000Z') }));
    const [listed] = (await t.log.search({ count: 1, offset: 0 })).events;
    expect(listed?.id).toMatch(/^a-[0-9]+$/);
    const event = await t.log.read(listed!.id!);
    expect(event).toEqual(listed);
    expect(event?.meta?.lastUpdated).toBe('2024-03-01T10:00:00.000Z');
    const errors = createValidator()
      .validate(event)
      .filter((i) => i.severity === 'error');
    expect(errors).toEqual([]);
    expect(await t.log.read('a-999999')).toBeUndefined();
    expect(await t.log.read('Patient/1')).toBeUndefined();
  });
});
