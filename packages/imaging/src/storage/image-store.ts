import { migrateModule } from '@yiyun/store';
import type { BlobStore, ByteRange } from '../blob/port.ts';
import type { ObjectCipher } from '../crypto/port.ts';
import { BackendSet } from './backends.ts';
import { ObjectCatalog, type Sql } from './catalog.ts';
import { Background, type StorageLogger, type StoreContext, silentLogger } from './context.ts';
import { type LifecycleOptions, type LifecycleReport, runLifecycle } from './lifecycle.ts';
import { IMAGE_STORAGE_MIGRATIONS } from './migrations.ts';
import type { ImageObjectMeta, ImageStore, StorageHealth, WriteReceipt } from './port.ts';
import { readObject } from './reader.ts';
import { type RotateOptions, type RotateReport, rotateKeys } from './rotate.ts';
import { type ScrubOptions, type ScrubReport, scrub } from './scrub.ts';
import { type StagedObject, stageObject } from './staging.ts';
import { removeObject, writeObject } from './writer.ts';

export interface ImageStoreOptions {
  /** The platform database (`Database['sql']`); the catalog lives there (module `imaging-storage`). */
  readonly sql: Sql;
  /** Local disk: first choice for writes and reads. */
  readonly hot: BlobStore;
  /** Object storage and other replicas, in preference order. */
  readonly cold: readonly BlobStore[];
  /** Copies of each object (default 2), capped by the number of backends. */
  readonly replicas?: number;
  readonly cipher: ObjectCipher;
  readonly logger?: StorageLogger;
  /** Time for ages, last access and leases (tests move it by days). */
  readonly clock?: () => Date;
  /** How long a failed backend is skipped before it is probed again (default 5 s). */
  readonly breakerCooldownMs?: number;
  /** A backend call slower than this counts as a failure (default 30 s). */
  readonly backendTimeoutMs?: number;
}

/** The image store with its maintenance jobs (run by the server's scheduler or the CLI). */
export interface ManagedImageStore extends ImageStore {
  /**
   * Writes the copies like `write` but leaves the catalog row to the caller's own statement
   * (`StagedObject.companion`): the imaging service records it with the index rows in one
   * round trip. Resolves once the copies are durable.
   */
  stage(key: string, body: Uint8Array, meta: ImageObjectMeta): Promise<StagedObject>;
  /** Moves due studies hot → cold and evicts their hot copies. */
  lifecycle(options: LifecycleOptions): Promise<LifecycleReport>;
  /** Checks every copy, repairs missing or corrupt ones, tops replication up. */
  scrub(options?: ScrubOptions): Promise<ScrubReport>;
  /** Re-wraps every data key with the cipher's current master key. */
  rotateKeys(options?: RotateOptions): Promise<RotateReport>;
  /** Resolves when the background work started so far (re-caching, read repairs, clean-up) is done. */
  idle(): Promise<void>;
}

/**
 * The image store of issue #6 (scope 4–6) over a hot backend, cold backends and a cipher; see
 * ./README.md and docs/decisions/0006-image-storage.md. Runs the catalog's migrations first.
 */
export async function createImageStore(options: ImageStoreOptions): Promise<ManagedImageStore> {
  await migrateModule(options.sql, 'imaging-storage', IMAGE_STORAGE_MIGRATIONS);
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const backends = new BackendSet({
    hot: options.hot,
    cold: options.cold,
    cooldownMs: options.breakerCooldownMs ?? 5_000,
    timeoutMs: options.backendTimeoutMs ?? 30_000,
    now: () => Date.now(),
  });
  const replicas = Math.max(1, Math.min(options.replicas ?? 2, backends.all.length));
  const ctx: StoreContext = {
    catalog: new ObjectCatalog(options.sql),
    backends,
    cipher: options.cipher,
    replicas,
    coldTarget: Math.min(replicas, backends.cold.length),
    logger,
    clock,
    background: new Background(logger),
  };
  return {
    write: (key: string, body: Uint8Array, meta: ImageObjectMeta): Promise<WriteReceipt> =>
      writeObject(ctx, key, body, meta),
    stage: (key: string, body: Uint8Array, meta: ImageObjectMeta) => stageObject(ctx, key, body, meta),
    read: (key: string, range?: ByteRange) => readObject(ctx, key, range),
    remove: (key: string) => removeObject(ctx, key),
    health: () => health(ctx),
    lifecycle: (o: LifecycleOptions) => runLifecycle(ctx, o),
    scrub: (o?: ScrubOptions) => scrub(ctx, o),
    rotateKeys: (o?: RotateOptions) => rotateKeys(ctx, o),
    idle: () => ctx.background.idle(),
  };
}

/**
 * `ok` when every backend answers and every object has its copies; `degraded` when a backend is
 * down or objects are under-replicated (reads and writes go on, on what is left); `unavailable`
 * when no backend answers.
 */
async function health(ctx: StoreContext): Promise<StorageHealth> {
  const [checks, counts] = await Promise.all([
    Promise.all(ctx.backends.all.map(async (b) => ({ b, health: await ctx.backends.check(b) }))),
    ctx.catalog.counts(ctx.replicas, ctx.coldTarget),
  ]);
  const backends = checks.map(({ b, health: h }) => ({
    name: b.name,
    tier: b.tier,
    ok: h.ok,
    ...(h.detail === undefined ? {} : { detail: h.detail }),
  }));
  const up = backends.filter((b) => b.ok).length;
  const status =
    up === 0 ? 'unavailable' : up < backends.length || counts.underReplicated > 0 ? 'degraded' : 'ok';
  return {
    status,
    backends,
    objects: counts.objects,
    underReplicated: counts.underReplicated,
    replicas: ctx.replicas,
    cipher: ctx.cipher.suite,
  };
}
