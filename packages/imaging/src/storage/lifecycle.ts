import type { Backend } from './backends.ts';
import type { CatalogRow } from './catalog.ts';
import { addGarbage, claimStudy, dueStudies, finishMove, type MoveWindow } from './catalog-jobs.ts';
import type { StoreContext } from './context.ts';
import { forEachLimit, placeCopies } from './placement.ts';
import { firstVerifiedCopy } from './reader.ts';

export interface LifecycleOptions {
  /** Studies whose every object was stored more than this many days ago … */
  readonly olderThanDays: number;
  /** … and none of which was read in this many days move to the cold tier. */
  readonly idleDays: number;
  readonly onProgress?: (report: LifecycleReport) => void;
  /** Objects moved at once (default 4). */
  readonly concurrency?: number;
}

export interface LifecycleReport {
  /** Studies considered (due, with objects still hot). */
  studies: number;
  /** Objects whose hot copy was evicted after enough verified cold copies existed. */
  moved: number;
  /** Objects left hot this time (cold tier down, no verified source, or read meanwhile). */
  skipped: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Long enough to copy one study's objects; a crashed worker's lease simply runs out. */
const LEASE_MS = 15 * 60 * 1000;

/**
 * Moves whole studies hot → cold by age and last access (dcm4chee-arc-style tiering): for each object,
 * make sure min(replicas, cold backends) verified cold copies exist (copying from the hot copy), and
 * only then drop the hot copy from the catalog and delete it. Several replicas may run this at once:
 * objects are leased with `for update skip locked` (catalog-jobs.ts).
 */
export async function runLifecycle(ctx: StoreContext, options: LifecycleOptions): Promise<LifecycleReport> {
  const report: LifecycleReport = { studies: 0, moved: 0, skipped: 0 };
  if (ctx.backends.cold.length === 0) return report;
  const now = ctx.clock();
  const window: MoveWindow = {
    createdBefore: new Date(now.getTime() - options.olderThanDays * DAY_MS),
    accessedBefore: new Date(now.getTime() - options.idleDays * DAY_MS),
    hot: ctx.backends.hot.name,
  };
  const sql = ctx.catalog.sql;
  for (let after = ''; ; ) {
    const studies = await dueStudies(sql, window, after, 50);
    if (studies.length === 0) break;
    for (const study of studies) {
      const leaseUntil = new Date(ctx.clock().getTime() + LEASE_MS);
      const rows = await claimStudy(sql, { ...window, study, now: ctx.clock(), leaseUntil });
      if (rows.length > 0) report.studies++;
      await forEachLimit(rows, options.concurrency ?? 4, async (row) => {
        if (await moveObject(ctx, row, window)) report.moved++;
        else report.skipped++;
      });
      options.onProgress?.({ ...report });
    }
    after = studies.at(-1)!;
  }
  return report;
}

/** Ensures the object's cold copies, then evicts its hot copy; false when it stays hot for now. */
async function moveObject(ctx: StoreContext, row: CatalogRow, window: MoveWindow): Promise<boolean> {
  const { hot } = ctx.backends;
  const listedCold = ctx.backends.cold.filter((b) => row.copies.includes(b.name));
  // Deleting the hot copy must never leave fewer good copies than wanted: check the cold ones too.
  const goodCold = (await Promise.all(listedCold.map((b) => verifies(ctx, row, b)))).flatMap((ok, i) =>
    ok ? [listedCold[i]!] : [],
  );
  let added: Backend[] = [];
  const short = ctx.coldTarget - goodCold.length;
  if (short > 0) {
    const source = await firstVerifiedCopy(ctx, row, [hot, ...goodCold]);
    if (source !== undefined) {
      const candidates = ctx.backends.cold.filter((b) => !goodCold.includes(b) && ctx.backends.isUp(b));
      added = await placeCopies(ctx.backends, {
        blobKey: row.blobKey,
        body: source,
        count: short,
        candidates,
        verify: row.sha256,
      });
    }
  }
  const enough = goodCold.length + added.length >= ctx.coldTarget;
  const addNames = added.map((b) => b.name);
  const move = { key: row.key, blobKey: row.blobKey, accessedBefore: window.accessedBefore };
  const finished = await finishMove(ctx.catalog.sql, {
    ...move,
    added: addNames,
    ...(enough ? { evict: hot.name } : {}),
  });
  if (!finished) {
    // Read (or overwritten) while we copied: it stays hot. The cold copies made stay listed if the row
    // is unchanged; otherwise they belong to no row.
    const kept = enough && (await finishMove(ctx.catalog.sql, { ...move, added: addNames }));
    if (!kept) await Promise.allSettled(added.map((b) => ctx.backends.delete(b, row.blobKey)));
    return false;
  }
  if (!enough) return false;
  try {
    await ctx.backends.delete(hot, row.blobKey);
  } catch {
    await addGarbage(ctx.catalog.sql, row.blobKey, [hot.name]);
  }
  return true;
}

async function verifies(ctx: StoreContext, row: CatalogRow, backend: Backend): Promise<boolean> {
  return (await firstVerifiedCopy(ctx, row, [backend])) !== undefined;
}
