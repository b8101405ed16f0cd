import { createHash, randomBytes, timingSafeEqual, webcrypto } from 'node:crypto';
import type { Backend, BackendSet } from './backends.ts';

export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

/**
 * SHA-256 off the event loop: WebCrypto's digest runs in libuv's thread pool (0.5–1 ms of main
 * thread per 525 KB CT slice otherwise), for writes, where the caller has other work to overlap.
 */
export async function sha256InPool(bytes: Uint8Array): Promise<Buffer> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes));
}

export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The name the stored bytes of one write get in every backend: the object key plus a random
 * version. A re-sent object is a new blob, so an overwrite never replaces the only good copy of the
 * old one before the new copies are durable; the old blob is deleted after the catalog points at
 * the new one. (Random rather than content-addressed: with suite `none` the same bytes would give
 * the same name, and deleting "the old copy" would delete the new one.)
 */
export function versionedBlobKey(key: string): string {
  return `${key}.${randomBytes(10).toString('hex')}`;
}

/** The object key a versioned blob key belongs to. */
export function keyOfBlob(blobKey: string): string {
  return blobKey.slice(0, blobKey.lastIndexOf('.'));
}

export interface PlaceOptions {
  readonly blobKey: string;
  readonly body: Uint8Array;
  /** How many copies to make. */
  readonly count: number;
  /** Backends to use, in preference order. */
  readonly candidates: readonly Backend[];
  /** Read each copy back and compare with this digest before counting it (background moves). */
  readonly verify?: Uint8Array;
}

/**
 * Writes `count` copies to the first backends of `candidates` that take them, in parallel: `count`
 * lanes pull the next untried backend, so a failing one is replaced by the next without waiting for
 * the others. Backends with an open breaker are skipped, and tried only if no other took a copy (a
 * write fails only when nothing at all can hold it). Returns the backends that hold a copy, in
 * preference order.
 */
export async function placeCopies(set: BackendSet, options: PlaceOptions): Promise<Backend[]> {
  const up = options.candidates.filter((b) => set.isUp(b));
  let written = await fill(set, options, up);
  if (written.length === 0) {
    const down = options.candidates.filter((b) => !up.includes(b));
    written = await fill(set, options, down);
  }
  return options.candidates.filter((b) => written.includes(b));
}

async function fill(set: BackendSet, options: PlaceOptions, queue: readonly Backend[]): Promise<Backend[]> {
  const written: Backend[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < queue.length) {
      const backend = queue[next++]!;
      if (await putOne(set, backend, options)) {
        written.push(backend);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.count, queue.length) }, lane));
  return written;
}

async function putOne(set: BackendSet, backend: Backend, options: PlaceOptions): Promise<boolean> {
  try {
    await set.put(backend, options.blobKey, options.body);
    if (options.verify === undefined) return true;
    const back = await set.get(backend, options.blobKey);
    if (sameDigest(sha256(back), options.verify)) return true;
    await set.delete(backend, options.blobKey).catch(() => undefined);
    return false;
  } catch {
    return false; // BackendSet opened the breaker; the lane moves on to the next backend
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
