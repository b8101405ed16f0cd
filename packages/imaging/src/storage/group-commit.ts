/** How a group commit runs a batch: one result per item, in order. */
export interface GroupCommitOptions<T, R> {
  readonly run: (batch: readonly T[]) => Promise<R[]>;
  /** Items with one key never share a batch (a statement cannot update one row twice). */
  readonly keyOf: (item: T) => string;
  /** Largest batch (default 500). */
  readonly maxBatch?: number;
}

interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Group commit without timers: the first item runs at once; items that arrive while a batch is in
 * flight wait and go together in the next one. An idle system pays no latency, a busy one pays one
 * round trip per batch instead of per item. The queue is in-process and holds nothing another
 * replica needs: every item is committed (or failed back to its caller) before its caller resolves.
 */
export class GroupCommit<T, R> {
  readonly #options: GroupCommitOptions<T, R>;
  #queue: Waiting<T, R>[] = [];
  #running = false;

  constructor(options: GroupCommitOptions<T, R>) {
    this.#options = options;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#take();
        try {
          const results = await this.#options.run(batch.map((w) => w.item));
          for (const [i, w] of batch.entries()) w.resolve(results[i] as R);
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          // One bad item must not fail its neighbours: run them one by one.
          else for (const w of batch) await this.#runAlone(w);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #runAlone(w: Waiting<T, R>): Promise<void> {
    try {
      const [result] = await this.#options.run([w.item]);
      w.resolve(result as R);
    } catch (err) {
      w.reject(err);
    }
  }

  /** The next batch: oldest first, distinct keys, at most maxBatch; the rest keeps its order. */
  #take(): Waiting<T, R>[] {
    const max = this.#options.maxBatch ?? 500;
    const keys = new Set<string>();
    const batch: Waiting<T, R>[] = [];
    const rest: Waiting<T, R>[] = [];
    for (const w of this.#queue) {
      const key = this.#options.keyOf(w.item);
      if (batch.length < max && !keys.has(key)) {
        keys.add(key);
        batch.push(w);
      } else rest.push(w);
    }
    this.#queue = rest;
    return batch;
  }
}
