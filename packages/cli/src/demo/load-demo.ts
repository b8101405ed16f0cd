import { availableParallelism } from 'node:os';
import { type ImportIssue, importNdjson, type Store } from '@yiyun/store';
import { DEFAULT_OPTIONS, generateRegion, type SynthOptions } from '@yiyun/synth';
import { createResourceChannel } from './resource-channel.ts';

/** The demo region is always the same city: fixed seed and simulated "today", never the clock. */
export const DEMO_SEED = 'yiyun-demo';
export const DEMO_AS_OF = '2026-06-30';

/** The generator's options for the demo region of `residents` (also used to regenerate its images). */
export function demoSynthOptions(residents: number, out: string): SynthOptions {
  return { ...DEFAULT_OPTIONS, seed: DEMO_SEED, asOf: DEMO_AS_OF, residents, out };
}

export interface DemoLoadProgress {
  /** Residents asked for. */
  readonly residents: number;
  /** Residents generated so far (the generator runs a few thousand resources ahead of the store). */
  readonly residentsGenerated: number;
  readonly resourcesGenerated: number;
  /** Resources written to the store (created + updated). */
  readonly resourcesLoaded: number;
  readonly generationDone: boolean;
}

export interface DemoLoadOptions {
  readonly store: Pick<Store, 'database' | 'registry'>;
  readonly residents: number;
  /** Where the generator writes its ground truth (`<outDir>/ground-truth/`). */
  readonly outDir: string;
  /** Throws AppError for an invalid resource (a validator's `assertValid`). */
  readonly validate: (resource: unknown) => unknown;
  readonly onProgress?: (progress: DemoLoadProgress) => void;
  /** Aborting stops generation and import at the next batch (what was written stays). */
  readonly signal?: AbortSignal;
}

export interface DemoLoadResult {
  readonly residents: number;
  readonly patients: number;
  readonly resources: number;
  readonly created: number;
  readonly updated: number;
  readonly failed: number;
  readonly issues: readonly ImportIssue[];
  readonly seconds: number;
}

/**
 * Generates the demo region and loads it in process: the generator writes into an in-memory channel
 * that the bulk importer reads as NDJSON lines (validated, indexed, written in batches), so no file
 * is written except the ground truth. Both run side by side on one thread; the channel's bound
 * keeps memory flat.
 */
export async function loadDemoRegion(options: DemoLoadOptions): Promise<DemoLoadResult> {
  const started = performance.now();
  const channel = createResourceChannel();
  const state = { residentsGenerated: 0, resourcesLoaded: 0, generationDone: false };
  const report = () =>
    options.onProgress?.({
      residents: options.residents,
      residentsGenerated: state.residentsGenerated,
      resourcesGenerated: channel.written(),
      resourcesLoaded: state.resourcesLoaded,
      generationDone: state.generationDone,
    });
  const onAbort = () => channel.fail(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const generating = generateRegion(
    demoSynthOptions(options.residents, options.outDir),
    channel.sink,
    (done) => {
      state.residentsGenerated = done;
    },
  ).then((summary) => {
    state.generationDone = true;
    report();
    return summary;
  });
  const importing = importNdjson([{ name: 'demo-region', lines: channel.lines }], {
    database: options.store.database,
    registry: options.store.registry,
    validate: options.validate,
    // Worker threads prepare batches on a PostgreSQL server (ignored on PGlite, whose own worker
    // already takes a core).
    workers: Math.max(1, Math.min(4, availableParallelism())),
    onProgress: (p) => {
      options.signal?.throwIfAborted();
      state.resourcesLoaded = p.created + p.updated;
      report();
    },
  });
  // Whichever side fails first stops the other, so neither waits forever on the channel.
  generating.catch((err: unknown) => channel.fail(err));
  importing.catch((err: unknown) => channel.fail(err));
  const [generated, imported] = await Promise.allSettled([generating, importing]);
  options.signal?.removeEventListener('abort', onAbort);
  if (generated.status === 'rejected') throw generated.reason;
  if (imported.status === 'rejected') throw imported.reason;
  const summary = generated.value;
  const result = imported.value;
  return {
    residents: summary.residents,
    patients: summary.resourcesByType['Patient'] ?? 0,
    resources: summary.resources,
    created: result.created,
    updated: result.updated,
    failed: result.failed,
    issues: result.issues.slice(0, 10),
    seconds: (performance.now() - started) / 1000,
  };
}
