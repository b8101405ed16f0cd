import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import { generateRegion, type SynthOptions, type SynthSummary } from '../generate.ts';
import { type LoadResult, loadViaImport, type NdjsonInput, parseServerUrl } from '../load/index.ts';
import { validateSynthOptions } from '../options.ts';
import { ndjsonDirectorySink, type ResourceSink } from '../sink/ndjson-sink.ts';
import { createStageProgress, type StageProgress } from './progress.ts';

export interface SynthRunOptions extends Omit<SynthOptions, 'out'> {
  /** Output directory; when absent, `./synth-out`, or a fresh temp dir when loading into a server. */
  readonly out?: string;
  /** Base URL of a running Yiyun server to load the region into through `$import`. */
  readonly server?: string;
  readonly token?: string;
}

export interface SynthRunSummary extends SynthSummary {
  readonly out: string;
  readonly generateSeconds: number;
  readonly seconds: number;
  readonly load?: LoadResult & { readonly server: string };
  /** Resources created / updated / rejected by the server (load only). */
  readonly created?: number;
  readonly updated?: number;
  readonly failed?: number;
  /** Resources per second end to end: generated (no server) or loaded (with a server). */
  readonly resourcesPerSecond: number;
}

function ensureWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    throw new AppError('invalid', `output directory ${dir} is not writable (${code})`, { cause: err });
  }
}

/** Passes resources on, noting each type the first time it appears (= the generator's dependency order). */
function recordTypes(sink: ResourceSink, types: string[]): ResourceSink {
  const seen = new Set<string>();
  return {
    write(resource: Resource) {
      if (!seen.has(resource.resourceType)) {
        seen.add(resource.resourceType);
        types.push(resource.resourceType);
      }
      return sink.write(resource);
    },
    close: () => sink.close(),
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function load(
  target: { base: string; token?: string },
  inputs: readonly NdjsonInput[],
  total: number,
  progress: StageProgress,
) {
  return loadViaImport({
    ...target,
    inputs,
    onProgress: (p) => {
      const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
      if (p.phase === 'upload') progress.update('upload', mb(p.bytes), mb(p.totalBytes));
      else progress.update('import', p.read, total);
    },
  });
}

/**
 * Generates a region into `out` and, with `server`, loads it there through `$import` (generate,
 * then upload: the files are on disk for `out` anyway). Returns the summary the command prints.
 */
export async function runSynth(
  options: SynthRunOptions,
  progress = createStageProgress(),
): Promise<SynthRunSummary> {
  const base = options.server === undefined ? undefined : parseServerUrl(options.server);
  const isTempOut = options.out === undefined && base !== undefined;
  const out = options.out ?? (isTempOut ? mkdtempSync(join(tmpdir(), 'yiyun-synth-')) : './synth-out');
  const synthOptions: SynthOptions = { ...options, out };
  validateSynthOptions(synthOptions);
  ensureWritable(out);
  const started = performance.now();
  const types: string[] = [];
  try {
    const summary = await generateRegion(synthOptions, recordTypes(ndjsonDirectorySink(out), types), (d, t) =>
      progress.update('generate', d, t),
    );
    const generateSeconds = (performance.now() - started) / 1000;
    if (base === undefined) {
      const seconds = generateSeconds;
      return {
        ...summary,
        out,
        generateSeconds: round(seconds),
        seconds: round(seconds),
        resourcesPerSecond: Math.round(summary.resources / seconds),
      };
    }
    const inputs = types.map((type) => ({ type, path: join(out, `${type}.ndjson`) }));
    const result = await load({ base, token: options.token }, inputs, summary.resources, progress);
    const seconds = (performance.now() - started) / 1000;
    return {
      ...summary,
      out,
      generateSeconds: round(generateSeconds),
      seconds: round(seconds),
      load: {
        ...result,
        server: base,
        uploadSeconds: round(result.uploadSeconds),
        importSeconds: round(result.importSeconds),
      },
      created: result.created,
      updated: result.updated,
      failed: result.failed,
      resourcesPerSecond: Math.round((result.created + result.updated) / seconds),
    };
  } finally {
    progress.stop();
    // A temp dir keeps its ground truth; the data lives on the server now (or the load failed).
    if (isTempOut) for (const type of types) rmSync(join(out, `${type}.ndjson`), { force: true });
  }
}
