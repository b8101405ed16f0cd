import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@yiyun/fhir';
import { responseError, type ServerTarget, send } from './http.ts';

/** One NDJSON file of a single resource type. */
export interface NdjsonInput {
  readonly type: string;
  readonly path: string;
}

export type LoadProgress =
  | { readonly phase: 'upload'; readonly bytes: number; readonly totalBytes: number }
  | { readonly phase: 'import'; readonly read: number };

export interface LoadOptions extends ServerTarget {
  /** Uploaded and imported in this order (the importer resolves no references, so any order works). */
  readonly inputs: readonly NdjsonInput[];
  readonly onProgress?: (progress: LoadProgress) => void;
  /** How often the status URL is polled; the server's Retry-After is longer than needed here. */
  readonly pollIntervalMs?: number;
}

export interface LoadResult {
  readonly created: number;
  readonly updated: number;
  readonly failed: number;
  readonly uploadSeconds: number;
  readonly importSeconds: number;
  readonly statusUrl: string;
  /** URLs of the job's OperationOutcome files (one per rejected line), when any line was rejected. */
  readonly errorFiles: readonly string[];
}

interface ImportManifest {
  readonly totals?: { read?: number; created?: number; updated?: number; failed?: number };
  readonly error?: readonly { url?: string }[];
}

/** `X-Progress: running: 1234 resources` → 1234 (lines the job has read so far). */
export function progressCount(header: string | null): number | undefined {
  const match = /(\d+)\s+resources/.exec(header ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Streams one file from disk to `POST /bulk/uploads`; returns the URL the server gave it. */
async function upload(target: ServerTarget, path: string, onBytes: (n: number) => void): Promise<string> {
  const { size } = await stat(path);
  const stream = createReadStream(path);
  stream.on('data', (chunk) => onBytes(chunk.length));
  const endpoint = `${target.base}/bulk/uploads`;
  // A streamed body needs `duplex: 'half'` (fetch spec), which the RequestInit type does not list yet.
  const init: RequestInit & { duplex: 'half' } = {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+ndjson', 'content-length': String(size) },
    body: Readable.toWeb(stream) as ReadableStream<Uint8Array>,
    duplex: 'half',
  };
  const response = await send(target, endpoint, init).finally(() => stream.destroy());
  if (response.status !== 201) throw await responseError(`uploading ${path} to ${endpoint}`, response);
  const { url } = (await response.json()) as { url?: string };
  if (!url) throw new AppError('internal', `${endpoint} answered without an upload url`);
  return url;
}

/** `POST $import` (Prefer: respond-async) naming every upload; returns the absolute status URL. */
async function kickOff(target: ServerTarget, inputs: readonly { type: string; url: string }[]) {
  const endpoint = `${target.base}/fhir/R4/$import`;
  const response = await send(target, endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json',
      prefer: 'respond-async',
    },
    body: JSON.stringify({
      resourceType: 'Parameters',
      parameter: [
        { name: 'inputFormat', valueCode: 'application/fhir+ndjson' },
        ...inputs.map((i) => ({
          name: 'input',
          part: [
            { name: 'type', valueCode: i.type },
            { name: 'url', valueUri: i.url },
          ],
        })),
      ],
    }),
  });
  if (response.status !== 202) throw await responseError(`$import kick-off at ${endpoint}`, response);
  await response.arrayBuffer();
  const location = response.headers.get('content-location');
  if (!location) throw new AppError('internal', `${endpoint} answered 202 without Content-Location`);
  return new URL(location, `${target.base}/`).href;
}

/** Polls the status URL until the job completes (200 + manifest) or fails (any other status). */
async function awaitJob(
  target: ServerTarget,
  statusUrl: string,
  options: LoadOptions,
): Promise<ImportManifest> {
  for (;;) {
    const response = await send(target, statusUrl, { headers: { accept: 'application/json' } });
    if (response.status === 200) return (await response.json()) as ImportManifest;
    if (response.status !== 202) {
      const err = await responseError(`the $import job (${statusUrl})`, response);
      // An auth problem is the caller's to fix; anything else means the job did not finish.
      if (err.code === 'unauthenticated' || err.code === 'forbidden') throw err;
      throw new AppError('unprocessable', err.message, { cause: err });
    }
    await response.arrayBuffer();
    const read = progressCount(response.headers.get('x-progress'));
    if (read !== undefined) options.onProgress?.({ phase: 'import', read });
    await sleep(options.pollIntervalMs ?? 1_000);
  }
}

/**
 * Loads NDJSON files into a running Yiyun server the way an integrator would: each file streamed
 * to `/bulk/uploads`, then one Bulk Data `$import` naming them all, then the status URL polled.
 */
export async function loadViaImport(options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const sizes = await Promise.all(options.inputs.map(async (i) => (await stat(i.path)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  let bytes = 0;
  const uploads: { type: string; url: string }[] = [];
  for (const input of options.inputs) {
    const url = await upload(options, input.path, (n) => {
      bytes += n;
      options.onProgress?.({ phase: 'upload', bytes, totalBytes });
    });
    uploads.push({ type: input.type, url });
  }
  const uploaded = performance.now();
  const statusUrl = await kickOff(options, uploads);
  const manifest = await awaitJob(options, statusUrl, options);
  const done = performance.now();
  const totals = manifest.totals ?? {};
  options.onProgress?.({ phase: 'import', read: totals.read ?? 0 });
  return {
    created: totals.created ?? 0,
    updated: totals.updated ?? 0,
    failed: totals.failed ?? 0,
    uploadSeconds: (uploaded - started) / 1000,
    importSeconds: (done - uploaded) / 1000,
    statusUrl,
    errorFiles: (manifest.error ?? []).flatMap((e) => (e.url ? [e.url] : [])),
  };
}
