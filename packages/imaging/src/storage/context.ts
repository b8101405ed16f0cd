import type { ObjectCipher } from '../crypto/port.ts';
import type { BackendSet } from './backends.ts';
import type { ObjectCatalog } from './catalog.ts';

/** The subset of pino's logger the image store uses (structured fields, constant messages). */
export interface StorageLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: StorageLogger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** What the image store's parts share; built once by `createImageStore`. */
export interface StoreContext {
  readonly catalog: ObjectCatalog;
  readonly backends: BackendSet;
  readonly cipher: ObjectCipher;
  /** Copies wanted of a hot-tier object: the configured replicas, capped by the backends there are. */
  readonly replicas: number;
  /** Copies wanted of an evicted (cold-tier) object: min(replicas, cold backends). */
  readonly coldTarget: number;
  readonly logger: StorageLogger;
  readonly clock: () => Date;
  readonly background: Background;
}

/**
 * Work a request starts but does not wait for (re-caching a cold read, repairing a bad copy noticed
 * on read, deleting the blob an overwrite replaced). Failures are logged, never thrown at the
 * caller: each of these is also done by the scrubber, so losing one costs time, not data.
 */
export class Background {
  readonly #pending = new Set<Promise<void>>();
  readonly #logger: StorageLogger;
  /** Keys with a repair in flight, so concurrent reads of one object start one repair. */
  readonly #busy = new Set<string>();

  constructor(logger: StorageLogger) {
    this.#logger = logger;
  }

  run(task: string, work: () => Promise<unknown>, dedupeKey?: string): void {
    if (dedupeKey !== undefined) {
      if (this.#busy.has(dedupeKey)) return;
      this.#busy.add(dedupeKey);
    }
    const promise: Promise<void> = work()
      .then(
        () => undefined,
        (err: unknown) => this.#logger.warn({ task, err }, 'image store background task failed'),
      )
      .finally(() => {
        this.#pending.delete(promise);
        if (dedupeKey !== undefined) this.#busy.delete(dedupeKey);
      });
    this.#pending.add(promise);
  }

  /** Resolves once every task started so far (and any they started) has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
