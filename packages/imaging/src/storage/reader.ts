import { AppError } from '@yiyun/fhir';
import { BlobNotFoundError, type ByteRange } from '../blob/port.ts';
import { storedRangeFor } from '../crypto/object-cipher.ts';
import { IntegrityError } from '../crypto/port.ts';
import type { Backend } from './backends.ts';
import type { CatalogRow } from './catalog.ts';
import type { StoreContext } from './context.ts';
import { sameDigest, sha256 } from './placement.ts';

/** A read records the access at most this often per object (lifecycle needs days, not seconds). */
const TOUCH_EVERY_MS = 60 * 60 * 1000;

/**
 * Reads an object from the first copy that is intact, in the order hot → cold (copies on backends
 * with an open breaker last). A whole read checks the stored bytes' SHA-256; a ranged read relies on
 * the cipher's per-chunk authentication. A copy found missing or corrupt is dropped from the
 * catalog and rewritten in the background; a read served without a hot copy re-caches one.
 */
export async function readObject(ctx: StoreContext, key: string, range?: ByteRange): Promise<Uint8Array> {
  let row = await ctx.catalog.get(key);
  for (let attempt = 0; row !== undefined; attempt++) {
    const plain = range === undefined ? await readWhole(ctx, row) : await readRange(ctx, row, range);
    if (plain !== undefined) {
      touch(ctx, row);
      return plain;
    }
    // Every copy failed: if the object was overwritten meanwhile (its old blobs deleted), read the new one.
    const again = await ctx.catalog.get(key);
    if (again !== undefined && (attempt > 0 || again.blobKey === row.blobKey)) {
      ctx.logger.error({ key, copies: row.copies }, 'image object has no readable copy');
      throw new AppError('internal', 'image storage unavailable: no readable copy');
    }
    row = again;
  }
  throw new AppError('not-found', 'Image object not found');
}

async function readWhole(ctx: StoreContext, row: CatalogRow): Promise<Uint8Array | undefined> {
  const bad: Backend[] = [];
  // The catalog knows the stored size: asking for exactly those bytes spares the disk backend a
  // stat (a short copy fails the digest as a whole read would).
  const whole = row.storedSize > 0 ? { start: 0, end: row.storedSize } : undefined;
  for (const backend of ctx.backends.ordered(row.copies)) {
    const stored = await fetchCopy(ctx, row, backend, bad, whole);
    if (stored === undefined) continue;
    if (!sameDigest(sha256(stored), row.sha256)) {
      ctx.logger.warn({ key: row.key, backend: backend.name }, 'image copy corrupt (sha-256 mismatch)');
      bad.push(backend);
      continue;
    }
    const plain = await openVerified(ctx, row, stored);
    heal(ctx, row, bad, async () => stored);
    return plain;
  }
  forget(ctx, row, bad);
  return undefined;
}

async function readRange(
  ctx: StoreContext,
  row: CatalogRow,
  range: ByteRange,
): Promise<Uint8Array | undefined> {
  const plain = clampRange(range, row.plainSize);
  if (plain.end === plain.start) return new Uint8Array(0);
  // The cipher's own layout fits objects sealed under its suite; older objects carry theirs in the key.
  const stored =
    row.wrapped.suite === ctx.cipher.suite
      ? ctx.cipher.storedRange(plain, row.plainSize)
      : storedRangeFor(row.wrapped, plain, row.plainSize);
  const bad: Backend[] = [];
  for (const backend of ctx.backends.ordered(row.copies)) {
    const slice = await fetchCopy(ctx, row, backend, bad, stored);
    if (slice === undefined) continue;
    try {
      // A short slice is a truncated copy (suite `none` has no chunk tags to notice it).
      if (slice.length !== stored.end - stored.start) throw new IntegrityError('short stored slice');
      const out = await ctx.cipher.openRange(slice, row.wrapped, plain, row.plainSize);
      heal(ctx, row, bad, () => wholeVerified(ctx, row, backend));
      return out;
    } catch (err) {
      if (!(err instanceof IntegrityError)) throw err;
      ctx.logger.warn({ key: row.key, backend: backend.name }, 'image copy corrupt (chunk authentication)');
      bad.push(backend);
    }
  }
  forget(ctx, row, bad);
  return undefined;
}

/** Bytes of one copy, or undefined when it is missing (noted in `bad`) or the backend is down. */
async function fetchCopy(
  ctx: StoreContext,
  row: CatalogRow,
  backend: Backend,
  bad: Backend[],
  range?: ByteRange,
): Promise<Uint8Array | undefined> {
  try {
    return await ctx.backends.get(backend, row.blobKey, range);
  } catch (err) {
    if (err instanceof BlobNotFoundError) {
      ctx.logger.warn({ key: row.key, backend: backend.name }, 'image copy missing');
      bad.push(backend);
    }
    return undefined; // BlobUnavailableError: the backend is down, not the copy bad; try the next
  }
}

async function openVerified(ctx: StoreContext, row: CatalogRow, stored: Uint8Array): Promise<Uint8Array> {
  try {
    return await ctx.cipher.open(stored, row.wrapped);
  } catch (err) {
    // The digest matched, so these are the bytes we stored: the key or the cipher is wrong, not the copy.
    if (err instanceof IntegrityError)
      throw new AppError('internal', 'image object cannot be decrypted', { cause: err });
    throw err;
  }
}

/** The whole stored object from `backend`, checked against the catalog's digest. */
export async function wholeVerified(
  ctx: StoreContext,
  row: CatalogRow,
  backend: Backend,
): Promise<Uint8Array> {
  const stored = await ctx.backends.get(backend, row.blobKey);
  if (!sameDigest(sha256(stored), row.sha256)) throw new IntegrityError(`copy on ${backend.name} is corrupt`);
  return stored;
}

/** The stored bytes of the first of `from` whose copy verifies; undefined when none does. */
export async function firstVerifiedCopy(
  ctx: StoreContext,
  row: CatalogRow,
  from: readonly Backend[],
): Promise<Uint8Array | undefined> {
  for (const backend of from) {
    try {
      return await wholeVerified(ctx, row, backend);
    } catch {
      // missing, corrupt or down: the next copy
    }
  }
  return undefined;
}

function clampRange(range: ByteRange, size: number): ByteRange {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new AppError('invalid', `Invalid byte range [${start}, ${end})`);
  }
  const clampedEnd = Math.min(end, size);
  return { start: Math.min(start, clampedEnd), end: clampedEnd };
}

function touch(ctx: StoreContext, row: CatalogRow): void {
  const now = ctx.clock();
  if (now.getTime() - row.lastAccessAt.getTime() < TOUCH_EVERY_MS) return;
  ctx.background.run('touch', () => ctx.catalog.touch(row.key, now, TOUCH_EVERY_MS));
}

/** Drops copies found bad from the catalog, so no one reads or counts them again. */
function forget(ctx: StoreContext, row: CatalogRow, bad: readonly Backend[]): void {
  if (bad.length === 0) return;
  const remove = bad.map((b) => b.name);
  ctx.background.run('forget-bad-copies', () => ctx.catalog.changeCopies(row.key, row.blobKey, { remove }));
}

/**
 * After a successful read: rewrites the bad copies met on the way and, when the object has no hot
 * copy (evicted by the lifecycle, or written while the hot tier was down), re-caches it to hot.
 */
function heal(
  ctx: StoreContext,
  row: CatalogRow,
  bad: readonly Backend[],
  source: () => Promise<Uint8Array>,
): void {
  const { hot } = ctx.backends;
  const targets = bad.filter((b) => ctx.backends.isUp(b));
  if (!row.copies.includes(hot.name) && !targets.includes(hot) && ctx.backends.isUp(hot)) targets.push(hot);
  if (targets.length === 0) {
    forget(ctx, row, bad);
    return;
  }
  ctx.background.run(
    'heal',
    async () => {
      const stored = await source();
      const results = await Promise.allSettled(targets.map((b) => ctx.backends.put(b, row.blobKey, stored)));
      const written = targets.filter((_, i) => results[i]?.status === 'fulfilled');
      const add = written.map((b) => b.name);
      const remove = bad.map((b) => b.name).filter((n) => !add.includes(n));
      const tier = add.includes(hot.name) ? 'hot' : undefined;
      const after = await ctx.catalog.changeCopies(
        row.key,
        row.blobKey,
        tier ? { add, remove, tier } : { add, remove },
      );
      if (after === undefined) await Promise.all(written.map((b) => ctx.backends.delete(b, row.blobKey)));
    },
    row.key,
  );
}
