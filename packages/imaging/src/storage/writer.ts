import { AppError } from '@yiyun/fhir';
import { assertValidKey } from '../blob/key.ts';
import type { CatalogEntry, CatalogRow } from './catalog.ts';
import { addGarbage } from './catalog-jobs.ts';
import type { StoreContext } from './context.ts';
import { placeCopies, sha256InPool, versionedBlobKey } from './placement.ts';
import type { ImageObjectMeta, WriteReceipt } from './port.ts';

/** An object whose copies are durable but whose catalog row is not written yet. */
export interface PlacedObject {
  readonly entry: CatalogEntry;
  readonly receipt: WriteReceipt;
}

/**
 * Seals once (every copy holds the same stored bytes and digest) and writes the copies in parallel
 * to the first healthy backends in the order [hot, ...cold]. Fewer copies than wanted but at least
 * one is under-replicated (degraded mode; the scrubber completes it); none at all is an error.
 * Nothing refers to the copies yet: the caller records the row (`recordObject`, or in its own
 * statement, ./staging.ts) or deletes them (`discardPlaced`).
 */
export async function placeObject(
  ctx: StoreContext,
  key: string,
  body: Uint8Array,
  meta: ImageObjectMeta,
): Promise<PlacedObject> {
  if (typeof meta.study !== 'string' || meta.study === '')
    throw new AppError('invalid', 'Image object needs a study');
  const blobKey = versionedBlobKey(key);
  assertValidKey(blobKey);
  const sealed = await ctx.cipher.seal(body);
  const digesting = sha256InPool(sealed.stored); // while the copies are written
  digesting.catch(() => {}); // awaited below
  const placed = await placeCopies(ctx.backends, {
    blobKey,
    body: sealed.stored,
    count: ctx.replicas,
    candidates: ctx.backends.all,
  });
  if (placed.length === 0) {
    ctx.logger.error({ key }, 'image write failed: no backend took a copy');
    throw new AppError('internal', 'image storage unavailable');
  }
  const copies = placed.map((b) => b.name);
  if (placed.length < ctx.replicas) ctx.logger.warn({ key, copies }, 'image written under-replicated');
  const now = ctx.clock();
  const entry: CatalogEntry = {
    key,
    study: meta.study,
    blobKey,
    plainSize: body.length,
    storedSize: sealed.stored.length,
    sha256: await digesting,
    wrapped: sealed.key,
    copies,
    tier: 'hot',
    createdAt: now,
    lastAccessAt: now,
  };
  return { entry, receipt: { copies, underReplicated: placed.length < ctx.replicas } };
}

/** Deletes copies no catalog row points at (a write whose row was not, or will not be, recorded). */
export function discardPlaced(ctx: StoreContext, placed: PlacedObject): void {
  const { blobKey, copies } = placed.entry;
  ctx.background.run('discard-unrecorded-copies', () => deleteCopies(ctx, blobKey, copies));
}

/** After the row is recorded: the blob an overwrite of the key replaced is deleted in the background. */
export function afterRecorded(ctx: StoreContext, key: string, replaced: CatalogRow['replaced']): void {
  if (replaced === undefined) return;
  ctx.background.run('drop-replaced', () => dropReplaced(ctx, key, replaced));
}

/**
 * Places the copies, and only then records the object: a catalog row always points at copies that
 * exist, so nothing is acknowledged that cannot be read.
 */
export async function writeObject(
  ctx: StoreContext,
  key: string,
  body: Uint8Array,
  meta: ImageObjectMeta,
): Promise<WriteReceipt> {
  const placed = await placeObject(ctx, key, body, meta);
  let replaced: CatalogRow['replaced'];
  try {
    replaced = await ctx.catalog.upsert(placed.entry);
  } catch (err) {
    discardPlaced(ctx, placed);
    throw err;
  }
  afterRecorded(ctx, key, replaced);
  return placed.receipt;
}

/** Deletes the copies of the blob an overwrite replaced, then forgets it (scrub retries otherwise). */
export async function dropReplaced(
  ctx: StoreContext,
  key: string,
  replaced: NonNullable<CatalogRow['replaced']>,
): Promise<void> {
  const failed = await deleteCopies(ctx, replaced.blobKey, replaced.copies);
  if (failed.length === 0) await ctx.catalog.clearReplaced(key, replaced.blobKey);
}

/**
 * Removes the row first (no reader can find the object after), then its blobs from every backend
 * that is up — also unlisted ones, which may hold a copy dropped as bad. Listed copies that could
 * not be deleted are queued as garbage for the scrubber.
 */
export async function removeObject(ctx: StoreContext, key: string): Promise<void> {
  const row = await ctx.catalog.remove(key);
  if (row === undefined) return;
  const blobs = [{ blobKey: row.blobKey, copies: row.copies }];
  if (row.replaced !== undefined) blobs.push(row.replaced);
  for (const blob of blobs) {
    const failed = await deleteCopies(ctx, blob.blobKey, blob.copies, { everywhere: true });
    await addGarbage(ctx.catalog.sql, blob.blobKey, failed);
  }
}

/** Deletes a blob from the listed backends (or all); returns the listed ones where that failed. */
async function deleteCopies(
  ctx: StoreContext,
  blobKey: string,
  listed: readonly string[],
  options: { everywhere?: boolean } = {},
): Promise<string[]> {
  const targets = ctx.backends.all.filter((b) => options.everywhere === true || listed.includes(b.name));
  const failed: string[] = [];
  await Promise.all(
    targets.map(async (b) => {
      if (!ctx.backends.isUp(b)) {
        if (listed.includes(b.name)) failed.push(b.name);
        return;
      }
      try {
        await ctx.backends.delete(b, blobKey);
      } catch {
        if (listed.includes(b.name)) failed.push(b.name);
      }
    }),
  );
  // A listed backend this store no longer has is someone else's to clean: not retried here.
  return failed;
}
