import { BlobNotFoundError } from '../blob/port.ts';
import type { Backend } from './backends.ts';
import type { CatalogRow } from './catalog.ts';
import { dropGarbage, garbagePage, isListed } from './catalog-jobs.ts';
import type { StoreContext } from './context.ts';
import { forEachLimit, keyOfBlob, placeCopies, sameDigest, sha256 } from './placement.ts';
import { firstVerifiedCopy } from './reader.ts';
import { dropReplaced } from './writer.ts';

export interface ScrubOptions {
  /** Read every listed copy and check its SHA-256 (default); false: only check that it exists. */
  readonly deep?: boolean;
  readonly onProgress?: (report: ScrubReport) => void;
  /** Objects checked at once (default 4). */
  readonly concurrency?: number;
}

export interface ScrubReport {
  /** Objects checked. */
  checked: number;
  /** Listed copies that were absent. */
  missing: number;
  /** Listed copies whose bytes did not match the digest. */
  corrupt: number;
  /** Missing or corrupt copies rewritten in place from a good copy. */
  repaired: number;
  /** Copies added on other backends to reach the replication target. */
  replicated: number;
  /** Objects with no good copy left anywhere (logged; their row stays for an operator). */
  unrecoverable: number;
  /** Objects still below the target after the pass (a backend is down). */
  underReplicated: number;
  /** Blobs of removed or overwritten objects deleted. */
  collected: number;
}

type CopyState = 'good' | 'missing' | 'corrupt' | 'unknown';

const PAGE = 200;

/**
 * Walks the catalog in key order, checks every listed copy of every object, repairs missing or
 * corrupt copies from a good one, and tops replication up to the target (replicas for hot-tier
 * objects; cold copies for evicted ones). Safe beside writes, reads and other scrubbers: each change
 * of placement is a conditional update of one row (catalog.ts).
 */
export async function scrub(ctx: StoreContext, options: ScrubOptions = {}): Promise<ScrubReport> {
  const report: ScrubReport = {
    checked: 0,
    missing: 0,
    corrupt: 0,
    repaired: 0,
    replicated: 0,
    unrecoverable: 0,
    underReplicated: 0,
    collected: 0,
  };
  const deep = options.deep ?? true;
  for (let after = ''; ; ) {
    const page = await ctx.catalog.page(after, PAGE);
    if (page.length === 0) break;
    await forEachLimit(page, options.concurrency ?? 4, (row) => scrubObject(ctx, row, deep, report));
    after = page.at(-1)!.key;
    options.onProgress?.({ ...report });
  }
  report.collected += await collectGarbage(ctx);
  options.onProgress?.({ ...report });
  return report;
}

async function scrubObject(
  ctx: StoreContext,
  row: CatalogRow,
  deep: boolean,
  report: ScrubReport,
): Promise<void> {
  report.checked++;
  if (row.replaced !== undefined) await dropReplaced(ctx, row.key, row.replaced);
  const listed = ctx.backends.ordered(row.copies);
  const states = new Map<Backend, CopyState>();
  let source: Uint8Array | undefined;
  await Promise.all(
    listed.map(async (b) => {
      const { state, bytes } = await inspect(ctx, row, b, deep);
      states.set(b, state);
      if (bytes !== undefined) source ??= bytes;
    }),
  );
  const pick = (s: CopyState) => listed.filter((b) => states.get(b) === s);
  const bad = [...pick('missing'), ...pick('corrupt')];
  report.missing += pick('missing').length;
  report.corrupt += pick('corrupt').length;
  const held = [...pick('good'), ...pick('unknown')];
  if (held.length === 0) {
    report.unrecoverable++;
    ctx.logger.error({ key: row.key, copies: row.copies }, 'image object unrecoverable: no good copy');
    if (bad.length > 0)
      await ctx.catalog.changeCopies(row.key, row.blobKey, { remove: bad.map((b) => b.name) });
    return;
  }
  const wanted = row.tier === 'cold' ? ctx.coldTarget : ctx.replicas;
  const counted = (bs: readonly Backend[]) =>
    (row.tier === 'cold' ? bs.filter((b) => b.tier === 'cold') : bs).length;
  const repairTargets = bad.filter((b) => ctx.backends.isUp(b));
  let written: Backend[] = [];
  if (repairTargets.length > 0 || counted(held) < wanted) {
    source ??= await firstVerifiedCopy(ctx, row, pick('good'));
    if (source !== undefined) written = await rewrite(ctx, row, { source, repairTargets, held, bad, wanted });
  }
  report.repaired += written.filter((b) => bad.includes(b)).length;
  report.replicated += written.filter((b) => !bad.includes(b)).length;
  if (counted(held) + counted(written) < wanted) report.underReplicated++;
  if (bad.length === 0 && written.length === 0) return;
  const add = written.map((b) => b.name);
  const remove = bad.map((b) => b.name).filter((n) => !add.includes(n));
  const after = await ctx.catalog.changeCopies(row.key, row.blobKey, { add, remove });
  if (after === undefined) {
    // Overwritten or removed meanwhile: what we wrote belongs to no row.
    await Promise.allSettled(written.map((b) => ctx.backends.delete(b, row.blobKey)));
  }
}

async function inspect(
  ctx: StoreContext,
  row: CatalogRow,
  backend: Backend,
  deep: boolean,
): Promise<{ state: CopyState; bytes?: Uint8Array }> {
  try {
    if (!deep) return { state: (await ctx.backends.has(backend, row.blobKey)) ? 'good' : 'missing' };
    const bytes = await ctx.backends.get(backend, row.blobKey);
    if (!sameDigest(sha256(bytes), row.sha256)) return { state: 'corrupt' };
    return { state: 'good', bytes };
  } catch (err) {
    return { state: err instanceof BlobNotFoundError ? 'missing' : 'unknown' };
  }
}

/** Rewrites bad copies in place, then adds copies elsewhere while still short of the target. */
async function rewrite(
  ctx: StoreContext,
  row: CatalogRow,
  plan: {
    source: Uint8Array;
    repairTargets: readonly Backend[];
    held: readonly Backend[];
    bad: readonly Backend[];
    wanted: number;
  },
): Promise<Backend[]> {
  const { source, repairTargets } = plan;
  const results = await Promise.allSettled(
    repairTargets.map((b) => ctx.backends.put(b, row.blobKey, source)),
  );
  const repaired = repairTargets.filter((_, i) => results[i]?.status === 'fulfilled');
  // Evicted objects count (and get) cold copies only; hot-tier objects any.
  const counts = (b: Backend) => row.tier === 'hot' || b.tier === 'cold';
  const short = plan.wanted - [...plan.held, ...repaired].filter(counts).length;
  if (short <= 0) return repaired;
  const taken = new Set([...plan.held, ...plan.bad]);
  const candidates = ctx.backends.all.filter((b) => !taken.has(b) && counts(b) && ctx.backends.isUp(b));
  const added = await placeCopies(ctx.backends, {
    blobKey: row.blobKey,
    body: source,
    count: short,
    candidates,
  });
  return [...repaired, ...added];
}

/** Retries deleting blobs of removed objects that a backend could not delete at the time. */
async function collectGarbage(ctx: StoreContext): Promise<number> {
  let collected = 0;
  for (;;) {
    const page = await garbagePage(ctx.catalog.sql, 500);
    let progress = 0;
    for (const { blobKey, backend: name } of page) {
      const backend = ctx.backends.byName(name);
      if (backend === undefined || !ctx.backends.isUp(backend)) continue;
      try {
        if (!(await isListed(ctx.catalog.sql, keyOfBlob(blobKey), blobKey, name))) {
          await ctx.backends.delete(backend, blobKey);
        }
        await dropGarbage(ctx.catalog.sql, blobKey, name);
        progress++;
      } catch {
        // still down: next scrub
      }
    }
    collected += progress;
    if (progress === 0 || page.length < 500) return collected;
  }
}
