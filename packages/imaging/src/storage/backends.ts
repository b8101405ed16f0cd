import { AppError } from '@yiyun/fhir';
import { BlobNotFoundError, type BlobStore, BlobUnavailableError, type ByteRange } from '../blob/port.ts';

export interface Backend {
  readonly store: BlobStore;
  readonly name: string;
  readonly tier: 'hot' | 'cold';
}

export interface BackendSetOptions {
  readonly hot: BlobStore;
  readonly cold: readonly BlobStore[];
  /** How long a failed backend is skipped before it is tried again (half-open probe). */
  readonly cooldownMs: number;
  /** A backend call that takes longer counts as a failure (a hung S3 must not hang writes). */
  readonly timeoutMs: number;
  readonly now: () => number;
}

/**
 * The backends in preference order [hot, ...cold], each behind a circuit breaker: after a failure
 * it is skipped for `cooldownMs`, then the next call probes it. Breaker state is in-process on
 * purpose: it is an optimisation (not trying a dead disk on every write), never a fact another
 * replica needs.
 */
export class BackendSet {
  readonly all: readonly Backend[];
  readonly hot: Backend;
  readonly cold: readonly Backend[];
  readonly #options: BackendSetOptions;
  readonly #downUntil = new Map<string, number>();
  readonly #lastError = new Map<string, string>();

  constructor(options: BackendSetOptions) {
    this.#options = options;
    this.hot = { store: options.hot, name: options.hot.name, tier: 'hot' };
    this.cold = options.cold.map((store) => ({ store, name: store.name, tier: 'cold' as const }));
    this.all = [this.hot, ...this.cold];
    const names = new Set(this.all.map((b) => b.name));
    if (names.size !== this.all.length)
      throw new AppError('invalid', 'Image store backends need distinct names');
  }

  byName(name: string): Backend | undefined {
    return this.all.find((b) => b.name === name);
  }

  isUp(backend: Backend): boolean {
    return (this.#downUntil.get(backend.name) ?? 0) <= this.#options.now();
  }

  /** Why the breaker is open, if it is. */
  downDetail(backend: Backend): string | undefined {
    return this.isUp(backend) ? undefined : this.#lastError.get(backend.name);
  }

  /** The named backends in preference order, those with an open breaker last. */
  ordered(names: readonly string[]): Backend[] {
    const listed = this.all.filter((b) => names.includes(b.name));
    return [...listed.filter((b) => this.isUp(b)), ...listed.filter((b) => !this.isUp(b))];
  }

  markDown(backend: Backend, reason: string): void {
    this.#downUntil.set(backend.name, this.#options.now() + this.#options.cooldownMs);
    this.#lastError.set(backend.name, reason);
  }

  markUp(backend: Backend): void {
    this.#downUntil.delete(backend.name);
  }

  /** The backend's own probe, under the timeout; it opens or closes the breaker like any call. */
  async check(b: Backend): Promise<{ ok: boolean; detail?: string }> {
    try {
      const health = await this.#call(b, 'check', () => b.store.check());
      if (!health.ok) this.markDown(b, health.detail ?? 'check failed');
      return health.detail === undefined ? { ok: health.ok } : { ok: health.ok, detail: health.detail };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : 'check failed' };
    }
  }

  put(b: Backend, key: string, body: Uint8Array): Promise<void> {
    return this.#call(b, `put`, () => b.store.put(key, body));
  }

  get(b: Backend, key: string, range?: ByteRange): Promise<Uint8Array> {
    return this.#call(b, 'get', () => b.store.get(key, range));
  }

  has(b: Backend, key: string): Promise<boolean> {
    return this.#call(b, 'has', () => b.store.has(key));
  }

  delete(b: Backend, key: string): Promise<void> {
    return this.#call(b, 'delete', () => b.store.delete(key));
  }

  /**
   * Runs one backend call with the timeout; a failure other than "not found" (or our own invalid
   * input) opens the breaker and surfaces as BlobUnavailableError, so callers fail over on one type.
   */
  async #call<T>(b: Backend, op: string, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BlobUnavailableError(b.name, `${op} timed out`)),
        this.#options.timeoutMs,
      );
    });
    try {
      const result = await Promise.race([run(), timeout]);
      this.markUp(b);
      return result;
    } catch (err) {
      if (err instanceof BlobNotFoundError || err instanceof AppError) throw err;
      const failure =
        err instanceof BlobUnavailableError
          ? err
          : new BlobUnavailableError(b.name, `${op} failed`, { cause: err });
      this.markDown(b, failure.message);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }
}
