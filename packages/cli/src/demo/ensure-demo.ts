import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountStore } from '@yiyun/auth';
import { createValidator } from '@yiyun/fhir';
import type { Database, Store } from '@yiyun/store';
import { type DemoAccountsOutcome, ensureDemoAccounts } from './demo-accounts.ts';
import { type DemoLoadProgress, type DemoLoadResult, loadDemoRegion } from './load-demo.ts';

export type DemoOutcome =
  /** The operator turned the demo off (`YIYUN_DEMO_RESIDENTS=0`). */
  | { readonly kind: 'off' }
  /** The store already held resources: nothing was loaded. */
  | { readonly kind: 'present'; readonly accounts?: DemoAccountsOutcome }
  | {
      readonly kind: 'loaded';
      readonly result: DemoLoadResult;
      readonly resumed: boolean;
      readonly accounts?: DemoAccountsOutcome;
    };

export interface DemoProgressReporter {
  update(progress: DemoLoadProgress): void;
  stop(): void;
}

export interface EnsureDemoOptions {
  readonly store: Pick<Store, 'database' | 'registry' | 'repository'>;
  /** 0 = off. */
  readonly residents: number;
  /** The server's data directory: ground truth and the in-progress marker go to `<dataDir>/demo/`. */
  readonly dataDir: string;
  readonly progress?: (residents: number) => DemoProgressReporter;
  readonly signal?: AbortSignal;
  /** Where the demo accounts (one per role) are created once the region is in; absent: none. */
  readonly accounts?: AccountStore;
}

/** Arbitrary but fixed: serialises demo loading between replicas starting on one empty database. */
const DEMO_LOCK_KEY = 7_959_681_347_001;

/** Runs `fn` holding a PostgreSQL session advisory lock (PGlite has one session and one process). */
async function withDemoLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  if (database.kind === 'pglite') return fn();
  const session = await database.sql.reserve();
  try {
    await session`select pg_advisory_lock(${DEMO_LOCK_KEY})`;
    try {
      return await fn();
    } finally {
      await session`select pg_advisory_unlock(${DEMO_LOCK_KEY})`;
    }
  } finally {
    session.release();
  }
}

export async function isStoreEmpty(database: Database): Promise<boolean> {
  const rows = await database.sql<{ found: boolean }[]>`select exists(select 1 from resource) as found`;
  return rows[0]?.found !== true;
}

/**
 * The size of a load that an earlier start began but did not finish (the marker is removed only when
 * a load completes); `fallback` when the marker is unreadable; undefined when there is none.
 */
async function interruptedLoad(marker: string, fallback: number): Promise<number | undefined> {
  const text = await readFile(marker, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const residents = (JSON.parse(text) as { residents?: unknown }).residents;
    return typeof residents === 'number' && Number.isInteger(residents) && residents > 0
      ? residents
      : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Loads the demo region when the operator left it on and the store is empty, or finishes a load that
 * an earlier start did not complete (the generator is deterministic and the import upserts by id,
 * so loading again converges on the same data). Otherwise leaves the store alone. Then, under the
 * same lock, makes sure the demo accounts exist (see `ensureDemoAccounts`).
 */
export async function ensureDemoRegion(options: EnsureDemoOptions): Promise<DemoOutcome> {
  if (options.residents === 0) return { kind: 'off' };
  return withDemoLock(options.store.database, async (): Promise<DemoOutcome> => {
    const region = await loadRegionIfNeeded(options);
    if (options.accounts === undefined) return region;
    const accounts = await ensureDemoAccounts({
      store: options.store,
      accounts: options.accounts,
      dataDir: options.dataDir,
      // Demo accounts (a platform administrator among them) only beside a demo region this
      // installation loaded: never in a store that held other data when the demo was switched on.
      mayCreate: region.kind === 'loaded' || (await hasDemoGroundTruth(options.dataDir)),
    });
    return { ...region, accounts };
  });
}

/** The generator's summary, written beside a demo region this data directory loaded. */
async function hasDemoGroundTruth(dataDir: string): Promise<boolean> {
  return access(join(dataDir, 'demo', 'ground-truth', 'summary.json')).then(
    () => true,
    () => false,
  );
}

async function loadRegionIfNeeded(
  options: EnsureDemoOptions,
): Promise<Exclude<DemoOutcome, { kind: 'off' }>> {
  const dir = join(options.dataDir, 'demo');
  const marker = join(dir, 'loading.json');
  const resumeWith = await interruptedLoad(marker, options.residents);
  if (resumeWith === undefined && !(await isStoreEmpty(options.store.database))) return { kind: 'present' };
  const residents = resumeWith ?? options.residents;
  await mkdir(dir, { recursive: true });
  await writeFile(marker, `${JSON.stringify({ residents, startedAt: new Date().toISOString() })}\n`);
  const validator = createValidator();
  const bar = options.progress?.(residents);
  try {
    const result = await loadDemoRegion({
      store: options.store,
      residents,
      outDir: dir,
      validate: (r) => validator.assertValid(r),
      onProgress: (p) => bar?.update(p),
      signal: options.signal,
    });
    await rm(marker, { force: true });
    return { kind: 'loaded', result, resumed: resumeWith !== undefined };
  } finally {
    bar?.stop();
  }
}
