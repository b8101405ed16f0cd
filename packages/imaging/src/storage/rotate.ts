import { keysToRewrap, saveRewrapped } from './catalog-jobs.ts';
import type { StoreContext } from './context.ts';

export interface RotateOptions {
  readonly onProgress?: (report: RotateReport) => void;
}

export interface RotateReport {
  /** Data keys now wrapped by the current master key. */
  rewrapped: number;
  /** Data keys the cipher could not re-wrap (e.g. their master key is not in the key ring). */
  failed: number;
  /** The master key they are wrapped with now. */
  masterKey: string;
}

const PAGE = 500;

/**
 * Master-key rotation (envelope encryption, issue #6 scope 6): every data key not wrapped by the
 * cipher's current master key is re-wrapped and saved; no image byte is read or written. Idempotent
 * and safe on several replicas at once (a data key wrapped twice is still the same data key).
 */
export async function rotateKeys(ctx: StoreContext, options: RotateOptions = {}): Promise<RotateReport> {
  const current = ctx.cipher.currentMasterKey;
  const report: RotateReport = { rewrapped: 0, failed: 0, masterKey: current };
  for (let after = ''; ; ) {
    const page = await keysToRewrap(ctx.catalog.sql, current, after, PAGE);
    if (page.length === 0) break;
    const done = [];
    for (const item of page) {
      try {
        done.push({ ...item, wrapped: await ctx.cipher.rewrap(item.wrapped) });
      } catch (err) {
        report.failed++;
        ctx.logger.error(
          { key: item.key, masterKey: item.wrapped.masterKeyId, err },
          'image data key rewrap failed',
        );
      }
    }
    report.rewrapped += await saveRewrapped(ctx.catalog.sql, done);
    after = page.at(-1)!.key;
    options.onProgress?.({ ...report });
  }
  return report;
}
