import type { Database } from '@yiyun/store';
import {
  type ChainPosition,
  checkBatchEvents,
  checkBatchHeader,
  type StoredBatch,
  type StoredEvent,
  type VerifyProblem,
} from './verify-batch.ts';

type Sql = Database['sql'];

/** A batch hash recorded outside the database (printed by `yiyun audit verify`). */
export interface AuditAnchor {
  readonly batchNo: number;
  /** Hex. */
  readonly batchHash: string;
}

export interface VerifyReport {
  /** No problem found. */
  readonly ok: boolean;
  readonly batches: number;
  /** Sealed events checked. */
  readonly sealedEvents: number;
  /** Events written but not yet sealed (not protected by the chain until they are). */
  readonly unsealed: { readonly count: number; readonly firstSeq?: number; readonly oldestInsertedAt?: Date };
  /** The newest batch: anchor `batchHash` externally to detect deletion of newer batches. */
  readonly head?: {
    readonly batchNo: number;
    readonly lastSeq: number;
    readonly batchHash: string;
    readonly algorithm: string;
    readonly sealedAt: Date;
  };
  /** The first bad entry, in chain order. */
  readonly firstProblem?: VerifyProblem;
  /** The first problems found (at most 100). */
  readonly problems: readonly VerifyProblem[];
  readonly problemCount: number;
}

export interface VerifyProgress {
  readonly batches: number;
  readonly totalBatches: number;
  readonly events: number;
}

export interface VerifyOptions {
  readonly anchor?: AuditAnchor;
  /** Called after each page of batches (for a progress bar). */
  readonly onProgress?: (progress: VerifyProgress) => void;
}

const MAX_PROBLEMS = 100;
const BATCH_PAGE = 20;

interface BatchRow {
  batch_no: string;
  first_seq: string;
  last_seq: string;
  count: number;
  gaps: string[];
  leaves: Buffer;
  root: Buffer;
  prev_hash: Buffer;
  batch_hash: Buffer;
  algorithm: string;
  sealed_at: Date;
}

interface EventRow {
  seq: string;
  recorded: Date;
  kind: string;
  outcome: string;
  account: string | null;
  organization: string | null;
  patients: string[];
  content: unknown;
  hash: Buffer;
  algorithm: string;
}

function toBatch(row: BatchRow): StoredBatch & { sealedAt: Date } {
  return {
    batchNo: Number(row.batch_no),
    firstSeq: Number(row.first_seq),
    lastSeq: Number(row.last_seq),
    count: row.count,
    gaps: row.gaps.map(Number),
    leaves: row.leaves,
    root: row.root,
    prevHash: row.prev_hash,
    batchHash: row.batch_hash,
    algorithm: row.algorithm,
    sealedAt: row.sealed_at,
  };
}

function toEvent(row: EventRow): StoredEvent {
  return {
    seq: Number(row.seq),
    recorded: row.recorded.toISOString(),
    kind: row.kind,
    outcome: row.outcome,
    account: row.account,
    organization: row.organization,
    patients: row.patients,
    content: row.content,
    hash: row.hash,
    algorithm: row.algorithm,
  };
}

async function eventsBetween(sql: Sql, afterSeq: number, lastSeq: number): Promise<StoredEvent[]> {
  const rows = await sql<EventRow[]>`
    select seq, recorded, kind, outcome, account, organization, patients, content, hash, algorithm
    from audit_event where seq > ${afterSeq} and seq <= ${lastSeq} order by seq`;
  return rows.map(toEvent);
}

async function unsealedAfter(sql: Sql, lastSeq: number): Promise<VerifyReport['unsealed']> {
  const [row] = await sql<{ count: string; first_seq: string | null; oldest: Date | null }[]>`
    select count(*) as count, min(seq) as first_seq, min(inserted_at) as oldest
    from audit_event where seq > ${lastSeq}`;
  const count = Number(row?.count ?? 0);
  if (count === 0) return { count };
  return { count, firstSeq: Number(row?.first_seq), oldestInsertedAt: row?.oldest ?? undefined };
}

async function problemsOfBatch(
  sql: Sql,
  batch: StoredBatch,
  prev: ChainPosition | undefined,
  anchor: AuditAnchor | undefined,
): Promise<VerifyProblem[]> {
  const header = checkBatchHeader(batch, prev);
  const prevLastSeq = Math.min(prev?.lastSeq ?? 0, batch.firstSeq - 1);
  const events = await eventsBetween(sql, prevLastSeq, batch.lastSeq);
  const eventProblems = header.some((p) => p.kind === 'bad-batch')
    ? []
    : checkBatchEvents(batch, prevLastSeq, events);
  const anchorProblems =
    anchor &&
    batch.batchNo === anchor.batchNo &&
    batch.batchHash.toString('hex') !== anchor.batchHash.toLowerCase()
      ? [
          {
            kind: 'anchor-mismatch' as const,
            batchNo: batch.batchNo,
            message: `batch ${batch.batchNo} differs from the anchor`,
          },
        ]
      : [];
  return [...header, ...eventProblems, ...anchorProblems];
}

function headOf(batch: (StoredBatch & { sealedAt: Date }) | undefined): Pick<VerifyReport, 'head'> {
  if (!batch) return {};
  const { batchNo, lastSeq, algorithm, sealedAt } = batch;
  return { head: { batchNo, lastSeq, batchHash: batch.batchHash.toString('hex'), algorithm, sealedAt } };
}

/**
 * Walks every batch in order and checks each event's recomputed leaf against the sealed leaves,
 * the counts and seq ranges, the Merkle roots and the chain links; names the first bad entry.
 */
export async function verifyChain(sql: Sql, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { anchor, onProgress } = options;
  const [total] = await sql<{ n: string }[]>`select count(*) as n from audit_batch`;
  const totalBatches = Number(total?.n ?? 0);
  const problems: VerifyProblem[] = [];
  let problemCount = 0;
  const add = (found: readonly VerifyProblem[]) => {
    problemCount += found.length;
    for (const p of found) if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  let prev: ChainPosition | undefined;
  let head: (StoredBatch & { sealedAt: Date }) | undefined;
  let batches = 0;
  let sealedEvents = 0;
  for (;;) {
    const rows = await sql<BatchRow[]>`
      select batch_no, first_seq, last_seq, count, gaps, leaves, root, prev_hash, batch_hash, algorithm, sealed_at
      from audit_batch where batch_no > ${prev?.batchNo ?? 0} order by batch_no limit ${BATCH_PAGE}`;
    if (rows.length === 0) break;
    for (const batch of rows.map(toBatch)) {
      add(await problemsOfBatch(sql, batch, prev, anchor));
      batches++;
      sealedEvents += batch.count;
      const lastSeq = Math.max(batch.lastSeq, prev?.lastSeq ?? 0);
      prev = { batchNo: batch.batchNo, lastSeq, batchHash: batch.batchHash };
      head = batch;
    }
    onProgress?.({ batches, totalBatches, events: sealedEvents });
  }
  // Batches are numbered 1, 2, …: an anchor above the head means newer batches were removed.
  if (anchor && anchor.batchNo > (head?.batchNo ?? 0))
    add([
      {
        kind: 'anchor-mismatch',
        batchNo: anchor.batchNo,
        message: `anchored batch ${anchor.batchNo} is gone: newer batches were deleted`,
      },
    ]);
  return {
    ok: problemCount === 0,
    batches,
    sealedEvents,
    unsealed: await unsealedAfter(sql, prev?.lastSeq ?? 0),
    ...headOf(head),
    ...(problems[0] ? { firstProblem: problems[0] } : {}),
    problems,
    problemCount,
  };
}
