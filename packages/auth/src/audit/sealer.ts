import type { Database } from '@yiyun/store';
import {
  batchHash,
  GENESIS_HASH,
  type HashAlgorithm,
  isHashAlgorithm,
  leafHash,
  merkleRoot,
} from './hashing.ts';

type Sql = Database['sql'];

/** Arbitrary constant key of the advisory lock that lets one replica at a time seal. */
export const SEAL_LOCK_KEY = 720_190_101;

export interface SealOptions {
  readonly sql: Sql;
  readonly algorithm: HashAlgorithm;
  /** Most events per batch. */
  readonly batchSize: number;
  /** Only events inserted longer ago than this are sealed (ms). */
  readonly marginMs: number;
  /** Most batches sealed per call (each call is one transaction). */
  readonly maxBatches: number;
}

export interface SealReport {
  readonly batches: number;
  readonly events: number;
  /** Another replica held the seal lock: nothing was done. */
  readonly skipped: boolean;
}

export interface Head {
  readonly batchNo: number;
  readonly lastSeq: number;
  readonly batchHash: Buffer;
}

export interface Candidate {
  readonly seq: number;
  readonly digest: Buffer;
}

/** Seqs in (first, last) that no sealed event holds: identity values lost to rolled-back inserts. */
function gapsOf(events: readonly Candidate[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < events.length; i++)
    for (let s = events[i - 1]!.seq + 1; s < events[i]!.seq; s++) gaps.push(s);
  return gaps;
}

async function readHead(tx: Sql): Promise<Head | undefined> {
  const rows = await tx<{ batch_no: string; last_seq: string; batch_hash: Buffer }[]>`
    select batch_no, last_seq, batch_hash from audit_batch order by batch_no desc limit 1`;
  const row = rows[0];
  return row && { batchNo: Number(row.batch_no), lastSeq: Number(row.last_seq), batchHash: row.batch_hash };
}

/**
 * Events after the head, in seq order, up to the first one inserted within the margin. A seq that
 * is missing below a settled event belonged to a transaction that rolled back (or, on another
 * replica, has not committed for longer than the margin): it is treated as a permanent gap.
 */
async function settledAfter(tx: Sql, lastSeq: number, options: SealOptions): Promise<Candidate[]> {
  const rows = await tx<{ seq: string; hash: Buffer; algorithm: string; settled: boolean }[]>`
    select seq, hash, algorithm,
           inserted_at < clock_timestamp() - ${options.marginMs}::integer * interval '1 millisecond' as settled
    from audit_event where seq > ${lastSeq} order by seq limit ${options.batchSize}`;
  const out: Candidate[] = [];
  for (const row of rows) {
    if (!row.settled) break;
    out.push({ seq: Number(row.seq), digest: row.hash });
  }
  return out;
}

export interface BuiltBatch {
  readonly batchNo: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly count: number;
  readonly gaps: number[];
  readonly leaves: Buffer;
  readonly root: Buffer;
  readonly prevHash: Buffer;
  readonly batchHash: Buffer;
  readonly algorithm: HashAlgorithm;
}

/** The batch sealing these events (in seq order, non-empty) after `head`. */
export function buildBatch(
  head: Head | undefined,
  events: readonly Candidate[],
  algorithm: HashAlgorithm,
): BuiltBatch {
  const leaves = events.map((e) => leafHash(algorithm, e.digest, e.seq));
  const root = merkleRoot(algorithm, leaves);
  const firstSeq = events[0]!.seq;
  const lastSeq = events[events.length - 1]!.seq;
  const prevHash = head?.batchHash ?? GENESIS_HASH;
  const count = events.length;
  return {
    batchNo: (head?.batchNo ?? 0) + 1,
    firstSeq,
    lastSeq,
    count,
    gaps: gapsOf(events),
    leaves: Buffer.concat(leaves),
    root,
    prevHash,
    batchHash: batchHash({ prevHash, root, firstSeq, lastSeq, count, algorithm }),
    algorithm,
  };
}

async function insertBatch(tx: Sql, batch: BuiltBatch): Promise<Head> {
  await tx`
    insert into audit_batch
      (batch_no, first_seq, last_seq, count, gaps, leaves, root, prev_hash, batch_hash, algorithm)
    values (${batch.batchNo}, ${batch.firstSeq}, ${batch.lastSeq}, ${batch.count},
            ${`{${batch.gaps.join(',')}}`}::bigint[], ${batch.leaves}, ${batch.root}, ${batch.prevHash},
            ${batch.batchHash}, ${batch.algorithm})`;
  return { batchNo: batch.batchNo, lastSeq: batch.lastSeq, batchHash: batch.batchHash };
}

/**
 * Seals settled, unsealed events into batches chained to the head: one transaction holding a
 * transaction-level advisory lock, so replicas never fork the chain (and `batch_no` is a primary
 * key besides). Writers take no lock: sealing runs beside them, off the request path.
 */
export async function sealPending(options: SealOptions): Promise<SealReport> {
  if (!isHashAlgorithm(options.algorithm)) throw new Error(`Unknown hash algorithm ${options.algorithm}`);
  return options.sql.begin(async (txn) => {
    const tx = txn as unknown as Sql;
    const [lock] = await tx<
      { locked: boolean }[]
    >`select pg_try_advisory_xact_lock(${SEAL_LOCK_KEY}) as locked`;
    if (!lock?.locked) return { batches: 0, events: 0, skipped: true };
    let head = await readHead(tx);
    let batches = 0;
    let events = 0;
    while (batches < options.maxBatches) {
      const candidates = await settledAfter(tx, head?.lastSeq ?? 0, options);
      if (candidates.length === 0) break;
      head = await insertBatch(tx, buildBatch(head, candidates, options.algorithm));
      batches++;
      events += candidates.length;
      if (candidates.length < options.batchSize) break;
    }
    return { batches, events, skipped: false };
  });
}
