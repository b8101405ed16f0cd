import { AppError } from '@yiyun/fhir';
import { assertValidKey } from '../blob/key.ts';
import type { CatalogRow } from './catalog.ts';
import { addGarbage } from './catalog-jobs.ts';
import type { StoreContext } from './context.ts';
import { placeCopies, sha256, versionedBlobKey } from './placement.ts';
import type { ImageObjectMeta, WriteReceipt } from './port.ts';

/**
 * Seals once (every copy holds the same stored bytes and digest), writes the copies in parallel to
 * the first healthy backends in the order [hot, ...cold], and only then records the object: a
 * catalog row always points at copies that exist, so nothing is acknowledged that cannot be read.
 * Fewer copies than wanted but at least one is acknowledged as under-replicated (degraded mode;
 * the scrubber completes it); none at all is an error and leaves no row.
 */
export async function writeObject(
  ctx: StoreContext,
  key: string,
  body: Uint8Array,
  meta: ImageObjectMeta,
): Promise<WriteReceipt> {
  if (typeof meta.study !== 'string' || meta.study === '')
    throw new AppError('invalid', 'Image object needs a study');
  const blobKey = versionedBlobKey(key);
  assertValidKey(blobKey);
  const sealed = await ctx.cipher.seal(body);
  const digest = sha256(sealed.stored);
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
  const now = ctx.clock();
  let replaced: CatalogRow['replaced'];
  try {
    replaced = await ctx.catalog.upsert({
      key,
      study: meta.study,
      blobKey,
      plainSize: body.length,
      storedSize: sealed.stored.length,
      sha256: digest,
      wrapped: sealed.key,
      copies,
      tier: 'hot',
      createdAt: now,
      lastAccessAt: now,
    });
  } catch (err) {
    ctx.background.run('discard-unrecorded-copies', () => deleteCopies(ctx, blobKey, copies));
    throw err;
  }
  if (replaced !== undefined) {
    const old = replaced;
    ctx.background.run('drop-replaced', () => dropReplaced(ctx, key, old));
  }
  if (placed.length < ctx.replicas) ctx.logger.warn({ key, copies }, 'image written under-replicated');
  return { copies, underReplicated: placed.length < ctx.replicas };
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
