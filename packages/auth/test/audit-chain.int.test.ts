/** Sealing and verifying the hash chain, and detecting tampering done through SQL. */
import { createTestStore } from '@yiyun/store/testing';
import { describe, expect, it } from 'vitest';
import { type AuditLogOptions, type AuditRecord, openAuditLog } from '../src/audit/index.ts';

type Store = Awaited<ReturnType<typeof createTestStore>>;

async function openTestLog(options: Partial<AuditLogOptions> = {}) {
  const store: Store = await createTestStore({ registryPollMs: 0 });
  const log = await openAuditLog({ sql: store.database.sql, sealMarginMs: 0, batchSize: 10, ...options });
  return {
    log,
    sql: store.database.sql,
    async [Symbol.asyncDispose]() {
      await log.close();
      await store[Symbol.asyncDispose]();
    },
  };
}

const event = (i: number): AuditRecord => ({
  kind: i % 4 === 0 ? 'search' : 'read',
  outcome: 'success',
  agent: { account: `acct-${i % 3}`, organization: 'org-1', clientId: 'web', address: '10.0.0.1' },
  patients: [`p-${i % 5}`],
  entities:
    i % 4 === 0
      ? [{ reference: 'Observation', query: `code=c-${i}` }]
      : [{ reference: `Observation/o-${i}` }],
});

/** Records events 1..n (one at a time, so seq i holds event i) and seals them. */
async function sealedLog(n: number, options: Partial<AuditLogOptions> = {}) {
  const t = await openTestLog(options);
  for (let i = 1; i <= n; i++) await t.log.record(event(i));
  const report = await t.log.seal();
  expect(report).toMatchObject({ events: n, skipped: false });
  return t;
}

describe('seal and verify', () => {
  it('passes on an untouched log sealed in several batches', async () => {
    await using t = await sealedLog(35);
    const report = await t.log.verify();
    expect(report).toMatchObject({
      ok: true,
      batches: 4,
      sealedEvents: 35,
      problemCount: 0,
      unsealed: { count: 0 },
    });
    expect(report.head).toMatchObject({ batchNo: 4, lastSeq: 35, algorithm: 'sha256' });
    expect(report.head?.batchHash).toMatch(/^[0-9a-f]{64}$/);

    await t.log.record(event(36));
    const later = await t.log.verify();
    expect(later).toMatchObject({ ok: true, unsealed: { count: 1, firstSeq: 36 } });
    expect(await t.log.seal()).toMatchObject({ batches: 1, events: 1 });
    expect(await t.log.verify()).toMatchObject({ ok: true, batches: 5, unsealed: { count: 0 } });
  });

  it('leaves events inside the safety margin unsealed', async () => {
    await using t = await openTestLog({ sealMarginMs: 60_000 });
    await t.log.record(event(1));
    expect(await t.log.seal()).toMatchObject({ batches: 0, events: 0 });
    expect(await t.log.verify()).toMatchObject({ ok: true, batches: 0, unsealed: { count: 1 } });
  });

  it('treats a seq lost to a rolled-back insert as a permanent gap', async () => {
    await using t = await openTestLog();
    await t.log.record(event(1));
    await t.sql
      .begin(async (tx) => {
        await tx`insert into audit_event (recorded, kind, outcome, content, hash, algorithm)
          values (now(), 'read', 'success', '{}'::jsonb, '\\x00'::bytea, 'sha256')`;
        throw new Error('roll back');
      })
      .catch(() => {});
    await t.log.record(event(3));
    await t.log.seal();
    const [batch] = await t.sql<{ gaps: string[] }[]>`select gaps from audit_batch`;
    expect(batch?.gaps.map(Number)).toEqual([2]);
    expect(await t.log.verify()).toMatchObject({ ok: true, sealedEvents: 2 });
  });

  it('never forks the chain when two logs seal at once', async () => {
    await using t = await openTestLog();
    const other = await openAuditLog({ sql: t.sql, sealMarginMs: 0, batchSize: 10, migrate: false });
    await Promise.all(Array.from({ length: 45 }, (_, i) => t.log.record(event(i + 1))));
    const reports = await Promise.all([t.log.seal(), other.seal(), t.log.seal()]);
    reports.push(await other.seal());
    await other.close();
    expect(reports.reduce((n, r) => n + r.events, 0)).toBe(45);
    expect(await t.log.verify()).toMatchObject({ ok: true, batches: 5, sealedEvents: 45 });
  });
});

describe('verify detects tampering', () => {
  it('names a modified event', async () => {
    await using t = await sealedLog(30);
    await t.sql`update audit_event set content = jsonb_set(content, '{outcome}', '"8"') where seq = 14`;
    const report = await t.log.verify();
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'modified', seq: 14, batchNo: 2 });
    expect(report.problemCount).toBe(1);
  });

  it('names a deleted event', async () => {
    await using t = await sealedLog(30);
    await t.sql`delete from audit_event where seq = 23`;
    const report = await t.log.verify();
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'missing', seq: 23, batchNo: 3 });
  });

  it('names a reordered event (two events swapped)', async () => {
    await using t = await sealedLog(30);
    await t.sql`
      update audit_event a
      set recorded = b.recorded, kind = b.kind, outcome = b.outcome, account = b.account,
          organization = b.organization, patients = b.patients, content = b.content, hash = b.hash
      from audit_event b where (a.seq = 5 and b.seq = 8) or (a.seq = 8 and b.seq = 5)`;
    const report = await t.log.verify();
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({
      kind: 'reordered',
      seq: 5,
      message: 'event 5 holds the event sealed as 8',
    });
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['reordered', 5],
      ['reordered', 8],
    ]);
  });

  it('names a broken chain link and a deleted batch', async () => {
    await using t = await sealedLog(30);
    await t.sql`update audit_batch set prev_hash = ${Buffer.alloc(32, 1)} where batch_no = 2`;
    expect((await t.log.verify()).firstProblem).toMatchObject({ kind: 'bad-link', batchNo: 2 });
    await using u = await sealedLog(30);
    await u.sql`delete from audit_event where seq between 11 and 20`;
    await u.sql`delete from audit_batch where batch_no = 2`;
    const report = await u.log.verify();
    expect(report.firstProblem).toMatchObject({ kind: 'bad-link', batchNo: 3 });
    expect(report.firstProblem?.message).toContain('batch 2 is missing');
  });

  it('names a batch whose leaves were rewritten to match a modified event', async () => {
    await using t = await sealedLog(10);
    await t.sql`update audit_batch set leaves = overlay(leaves placing '\\xffff'::bytea from 1 for 2) where batch_no = 1`;
    expect((await t.log.verify()).firstProblem).toMatchObject({ kind: 'bad-batch', batchNo: 1 });
  });

  it('detects deletion of the newest batches only against an anchor', async () => {
    await using t = await sealedLog(30);
    const anchor = { batchNo: 3, batchHash: (await t.log.verify()).head!.batchHash };
    expect(await t.log.verify({ anchor })).toMatchObject({ ok: true });
    await t.sql`delete from audit_event where seq > 20`;
    await t.sql`delete from audit_batch where batch_no = 3`;
    expect(await t.log.verify()).toMatchObject({ ok: true, batches: 2 });
    expect((await t.log.verify({ anchor })).firstProblem).toMatchObject({
      kind: 'anchor-mismatch',
      batchNo: 3,
    });
  });
});

describe('SM3', () => {
  it('seals and verifies with SM3, after SHA-256 batches, and still detects tampering', async () => {
    await using t = await sealedLog(12);
    const sm3 = await openAuditLog({
      sql: t.sql,
      sealMarginMs: 0,
      batchSize: 10,
      algorithm: 'sm3',
      migrate: false,
    });
    for (let i = 13; i <= 25; i++) await sm3.record(event(i));
    await sm3.seal();
    const batches = await t.sql<{ algorithm: string }[]>`select algorithm from audit_batch order by batch_no`;
    expect(batches.map((b) => b.algorithm)).toEqual(['sha256', 'sha256', 'sm3', 'sm3']);
    const [row] = await t.sql<{ algorithm: string }[]>`select algorithm from audit_event where seq = 20`;
    expect(row?.algorithm).toBe('sm3');
    expect(await sm3.verify()).toMatchObject({
      ok: true,
      batches: 4,
      sealedEvents: 25,
      head: { algorithm: 'sm3' },
    });
    await t.sql`update audit_event set account = 'acct-x' where seq = 21`;
    expect((await sm3.verify()).firstProblem).toMatchObject({ kind: 'modified', seq: 21 });
    await sm3.close();
  });
});
