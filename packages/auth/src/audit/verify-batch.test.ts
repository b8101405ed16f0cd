import { describe, expect, it } from 'vitest';
import { type EventFields, eventDigest, GENESIS_HASH, type HashAlgorithm } from './hashing.ts';
import { buildBatch } from './sealer.ts';
import { checkBatchEvents, checkBatchHeader, type StoredEvent } from './verify-batch.ts';

function event(seq: number, algorithm: HashAlgorithm = 'sha256'): StoredEvent {
  const fields: EventFields = {
    recorded: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(),
    kind: 'read',
    outcome: 'success',
    account: `acct-${seq}`,
    organization: 'org-1',
    patients: [`p-${seq}`],
    content: { resourceType: 'AuditEvent', n: String(seq) },
  };
  return { ...fields, seq, hash: eventDigest(algorithm, fields), algorithm };
}

function sealed(seqs: number[], algorithm: HashAlgorithm = 'sha256') {
  const events = seqs.map((s) => event(s, algorithm));
  const batch = buildBatch(
    undefined,
    events.map((e) => ({ seq: e.seq, digest: e.hash })),
    algorithm,
  );
  return { events, batch };
}

describe('checkBatchHeader', () => {
  it('accepts a freshly built batch, gaps included', () => {
    const { batch } = sealed([1, 2, 4, 5]);
    expect(batch.gaps).toEqual([3]);
    expect(checkBatchHeader(batch, undefined)).toEqual([]);
  });

  it('finds an altered leaf list, root or count', () => {
    const { batch } = sealed([1, 2, 3]);
    const leaves = Buffer.from(batch.leaves);
    leaves[0] = leaves[0]! ^ 1;
    expect(checkBatchHeader({ ...batch, leaves }, undefined).map((p) => p.kind)).toEqual(['bad-batch']);
    expect(checkBatchHeader({ ...batch, count: 2 }, undefined).map((p) => p.kind)).toEqual(['bad-batch']);
    expect(checkBatchHeader({ ...batch, lastSeq: 4 }, undefined).map((p) => p.kind)).toEqual(['bad-batch']);
  });

  it('finds a broken link and a missing batch', () => {
    const { batch } = sealed([1, 2]);
    const next = buildBatch(
      batch,
      [event(3)].map((e) => ({ seq: e.seq, digest: e.hash })),
      'sha256',
    );
    expect(checkBatchHeader(next, batch)).toEqual([]);
    expect(checkBatchHeader({ ...next, prevHash: GENESIS_HASH }, batch).map((p) => p.kind)).toContain(
      'bad-link',
    );
    const skipped = { batchNo: 3, lastSeq: batch.lastSeq, batchHash: batch.batchHash };
    expect(checkBatchHeader(next, { ...skipped, batchNo: 0 }).map((p) => p.kind)).toContain('bad-link');
  });
});

describe('checkBatchEvents', () => {
  it('passes intact events, with SHA-256 and with SM3', () => {
    for (const algorithm of ['sha256', 'sm3'] as const) {
      const { events, batch } = sealed([1, 2, 4, 5], algorithm);
      expect(checkBatchEvents(batch, 0, events)).toEqual([]);
    }
  });

  it('names a modified event', () => {
    const { events, batch } = sealed([1, 2, 3]);
    const tampered = events.map((e) => (e.seq === 2 ? { ...e, outcome: 'minor-failure' } : e));
    expect(checkBatchEvents(batch, 0, tampered)).toMatchObject([{ kind: 'modified', seq: 2 }]);
  });

  it('names a modified event whose stored digest was recomputed to match', () => {
    const { events, batch } = sealed([1, 2, 3]);
    const changed = { ...events[0]!, account: 'someone-else' };
    const tampered = [{ ...changed, hash: eventDigest('sha256', changed) }, ...events.slice(1)];
    expect(checkBatchEvents(batch, 0, tampered)).toMatchObject([{ kind: 'modified', seq: 1 }]);
  });

  it('names a deleted event', () => {
    const { events, batch } = sealed([1, 2, 3]);
    expect(checkBatchEvents(batch, 0, [events[0]!, events[2]!])).toMatchObject([{ kind: 'missing', seq: 2 }]);
  });

  it('names two swapped events as reordered, the lower first', () => {
    const { events, batch } = sealed([1, 2, 3, 4]);
    const [a, b, c, d] = events as [StoredEvent, StoredEvent, StoredEvent, StoredEvent];
    const swapped = [a, { ...d, seq: 2 }, c, { ...b, seq: 4 }];
    expect(checkBatchEvents(batch, 0, swapped)).toMatchObject([
      { kind: 'reordered', seq: 2, message: 'event 2 holds the event sealed as 4' },
      { kind: 'reordered', seq: 4 },
    ]);
  });

  it('names an event inserted into a gap of a sealed range', () => {
    const { events, batch } = sealed([1, 2, 4]);
    expect(
      checkBatchEvents(
        batch,
        0,
        [...events, event(3)].sort((x, y) => x.seq - y.seq),
      ),
    ).toMatchObject([{ kind: 'inserted', seq: 3 }]);
  });
});
