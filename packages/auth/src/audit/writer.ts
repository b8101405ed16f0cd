import { AppError } from '@yiyun/fhir';
import type { Database } from '@yiyun/store';
import type { EventFields, HashAlgorithm } from './hashing.ts';

type Sql = Database['sql'];
type JsonParam = Parameters<Sql['json']>[0];

export interface PendingRow {
  readonly fields: EventFields;
  readonly digest: Buffer;
}

interface Waiting extends PendingRow {
  resolve(): void;
  reject(err: unknown): void;
}

export interface WriterOptions {
  readonly sql: Sql;
  readonly algorithm: HashAlgorithm;
  /** Rows per INSERT; a full queue is flushed at once instead of waiting for the next tick. */
  readonly maxBatch: number;
  /** INSERTs in flight at once (each holds a pool connection). */
  readonly maxInFlight: number;
}

export interface WriterStats {
  /** INSERT statements issued (successful or not). */
  readonly inserts: number;
  /** Events durably written. */
  readonly written: number;
  readonly failed: number;
}

/**
 * Group commit: rows queued during one event-loop turn go to the database in one multi-row INSERT
 * (one round trip, one commit), flushed on `setImmediate` or as soon as `maxBatch` are queued.
 * Each `write` promise settles with its INSERT: resolved once committed, rejected if it failed, so
 * a caller can fail its request rather than lose the event. No lock is taken: replicas and
 * concurrent INSERTs proceed independently; the chain is built later, by the sealer.
 */
export class GroupCommitWriter {
  readonly #options: WriterOptions;
  #queue: Waiting[] = [];
  #scheduled = false;
  #inFlight = 0;
  #closed = false;
  /** Every write not yet settled, so that flush() waits for exactly those. */
  readonly #pending = new Set<Promise<void>>();
  #stats = { inserts: 0, written: 0, failed: 0 };

  constructor(options: WriterOptions) {
    this.#options = options;
  }

  get stats(): WriterStats {
    return { ...this.#stats };
  }

  write(row: PendingRow): Promise<void> {
    if (this.#closed) return Promise.reject(new AppError('internal', 'The audit log is closed'));
    const written = new Promise<void>((resolve, reject) => {
      this.#queue.push({ ...row, resolve, reject });
      if (this.#queue.length >= this.#options.maxBatch) this.#pump();
      else this.#schedule();
    });
    this.#pending.add(written);
    const forget = () => this.#pending.delete(written);
    written.then(forget, forget);
    return written;
  }

  /** Resolves once every row queued so far is written (or has failed); later rows are not awaited. */
  async flush(): Promise<void> {
    this.#pump();
    await Promise.allSettled([...this.#pending]);
  }

  /** Refuses new rows and waits for queued ones. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.maxBatch);
      this.#inFlight++;
      void this.#insert(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #insert(batch: Waiting[]): Promise<void> {
    const { sql, algorithm } = this.#options;
    const rows = batch.map((w) => ({ ...w.fields, hash: w.digest.toString('hex'), algorithm }));
    this.#stats.inserts++;
    try {
      await sql`
        insert into audit_event
          (recorded, kind, outcome, account, organization, patients, content, hash, algorithm)
        select x.recorded, x.kind, x.outcome, x.account, x.organization, x.patients, x.content,
               decode(x.hash, 'hex'), x.algorithm
        from jsonb_to_recordset(${sql.json(rows as unknown as JsonParam)}) as x(
          recorded timestamptz, kind text, outcome text, account text, organization text,
          patients text[], content jsonb, hash text, algorithm text)`;
    } catch (err) {
      this.#stats.failed += batch.length;
      const error = new AppError('internal', 'Audit event could not be written', { cause: err });
      for (const w of batch) w.reject(error);
      return;
    }
    this.#stats.written += batch.length;
    for (const w of batch) w.resolve();
  }
}
