import {
  batchHash,
  type EventFields,
  eventDigest,
  GENESIS_HASH,
  HASH_BYTES,
  isHashAlgorithm,
  leafHash,
  merkleRoot,
  splitLeaves,
} from './hashing.ts';

/** What can be wrong with the log. */
export type ProblemKind =
  /** An event's stored fields no longer hash to its sealed leaf. */
  | 'modified'
  /** A sealed event is gone (deleted). */
  | 'missing'
  /** An event sits at another seq than it was sealed at (swapped or renumbered). */
  | 'reordered'
  /** An event occupies a seq that was not sealed (inserted afterwards into a sealed range). */
  | 'inserted'
  /** A batch row is inconsistent in itself (leaves, root, counts or batch hash altered). */
  | 'bad-batch'
  /** A batch does not follow the previous one (batch deleted, or prev_hash altered). */
  | 'bad-link'
  /** The head does not match the anchor recorded outside the database. */
  | 'anchor-mismatch';

export interface VerifyProblem {
  readonly kind: ProblemKind;
  readonly seq?: number;
  readonly batchNo?: number;
  readonly message: string;
}

export interface StoredBatch {
  readonly batchNo: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly count: number;
  readonly gaps: readonly number[];
  readonly leaves: Buffer;
  readonly root: Buffer;
  readonly prevHash: Buffer;
  readonly batchHash: Buffer;
  readonly algorithm: string;
}

export interface StoredEvent extends EventFields {
  readonly seq: number;
  readonly hash: Buffer;
  readonly algorithm: string;
}

export interface ChainPosition {
  readonly batchNo: number;
  readonly lastSeq: number;
  readonly batchHash: Buffer;
}

/** Problems of the batch row itself and its link to the previous batch. */
export function checkBatchHeader(batch: StoredBatch, prev: ChainPosition | undefined): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const at = { batchNo: batch.batchNo, seq: batch.firstSeq };
  const expectedNo = (prev?.batchNo ?? 0) + 1;
  if (batch.batchNo !== expectedNo)
    problems.push({
      kind: 'bad-link',
      ...at,
      message: `batch ${expectedNo} is missing (the next batch is ${batch.batchNo}); events ${(prev?.lastSeq ?? 0) + 1}–${batch.firstSeq - 1} are unaccounted for`,
    });
  if (!batch.prevHash.equals(prev?.batchHash ?? GENESIS_HASH))
    problems.push({
      kind: 'bad-link',
      ...at,
      message: `batch ${batch.batchNo} does not link to the previous batch`,
    });
  if (!isHashAlgorithm(batch.algorithm)) {
    problems.push({ kind: 'bad-batch', ...at, message: `batch ${batch.batchNo} names unknown algorithm` });
    return problems;
  }
  const span = batch.lastSeq - batch.firstSeq + 1;
  const gapsInside = batch.gaps.every(
    (g, i) => g > batch.firstSeq && g < batch.lastSeq && (i === 0 || g > batch.gaps[i - 1]!),
  );
  if (
    batch.firstSeq <= (prev?.lastSeq ?? 0) ||
    span < 1 ||
    !gapsInside ||
    batch.count !== span - batch.gaps.length ||
    batch.leaves.length !== batch.count * HASH_BYTES
  ) {
    problems.push({
      kind: 'bad-batch',
      ...at,
      message: `batch ${batch.batchNo} has an inconsistent seq range, count or leaf list`,
    });
    return problems;
  }
  const root = merkleRoot(batch.algorithm, splitLeaves(batch.leaves));
  if (!root.equals(batch.root))
    problems.push({
      kind: 'bad-batch',
      ...at,
      message: `batch ${batch.batchNo}: leaf list does not match its Merkle root`,
    });
  const hash = batchHash({
    ...batch,
    algorithm: batch.algorithm,
    prevHash: batch.prevHash,
    root: batch.root,
  });
  if (!hash.equals(batch.batchHash))
    problems.push({
      kind: 'bad-batch',
      ...at,
      message: `batch ${batch.batchNo}: batch hash does not match its contents`,
    });
  return problems;
}

function sealedSeqs(batch: StoredBatch): number[] {
  const gaps = new Set(batch.gaps);
  const out: number[] = [];
  for (let s = batch.firstSeq; s <= batch.lastSeq; s++) if (!gaps.has(s)) out.push(s);
  return out;
}

function recomputedDigest(event: StoredEvent): Buffer | undefined {
  return isHashAlgorithm(event.algorithm) ? eventDigest(event.algorithm, event) : undefined;
}

/**
 * Problems of the events in (prev.lastSeq, batch.lastSeq] against the batch's sealed leaves, in seq
 * order. Call only when the header is consistent (checkBatchHeader found no bad-batch).
 */
export function checkBatchEvents(
  batch: StoredBatch,
  prevLastSeq: number,
  events: readonly StoredEvent[],
): VerifyProblem[] {
  if (!isHashAlgorithm(batch.algorithm)) return [];
  const algorithm = batch.algorithm;
  const seqs = sealedSeqs(batch);
  const leaves = splitLeaves(batch.leaves);
  const indexOf = new Map(seqs.map((s, i) => [s, i]));
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const problems: (VerifyProblem & { seq: number })[] = [];
  const at = (seq: number) => ({ seq, batchNo: batch.batchNo });
  for (const event of events) {
    if (event.seq > prevLastSeq && !indexOf.has(event.seq))
      problems.push({
        kind: 'inserted',
        ...at(event.seq),
        message: `event ${event.seq} was never sealed but sits inside sealed batch ${batch.batchNo}`,
      });
  }
  seqs.forEach((seq, i) => {
    const event = bySeq.get(seq);
    if (!event) {
      problems.push({ kind: 'missing', ...at(seq), message: `event ${seq} is missing (deleted)` });
      return;
    }
    const digest = recomputedDigest(event);
    if (digest && leafHash(algorithm, digest, seq).equals(leaves[i]!)) {
      if (!event.hash.equals(digest))
        problems.push({ kind: 'modified', ...at(seq), message: `event ${seq}: stored digest altered` });
      return;
    }
    const movedFrom = digest
      ? seqs.findIndex((s, j) => j !== i && leafHash(algorithm, digest, s).equals(leaves[j]!))
      : -1;
    problems.push(
      movedFrom >= 0
        ? {
            kind: 'reordered',
            ...at(seq),
            message: `event ${seq} holds the event sealed as ${seqs[movedFrom]}`,
          }
        : { kind: 'modified', ...at(seq), message: `event ${seq} was modified after sealing` },
    );
  });
  return problems.sort((a, b) => a.seq - b.seq);
}
