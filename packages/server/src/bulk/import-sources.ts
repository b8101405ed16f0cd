import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { AppError } from '@yiyun/fhir';
import type { NdjsonSource } from '@yiyun/store';
import type { BulkFiles } from './files.ts';

export interface ImportInput {
  readonly type?: string;
  readonly url: string;
}

export interface SourcePolicy {
  readonly files: BulkFiles;
  /** `<base>/bulk/uploads/`: URLs under it are files uploaded to this server. */
  readonly uploadUrlPrefix: string;
  /** Origins (`https://his.example:443`) the server may fetch NDJSON from; none by default (SSRF). */
  readonly allowedOrigins: readonly string[];
}

/** Checks an input URL at kick-off, so that a bad request is a 400 and not a failed job. */
export function checkInput(input: ImportInput, policy: SourcePolicy): void {
  if (input.url.startsWith(policy.uploadUrlPrefix)) {
    const id = input.url.slice(policy.uploadUrlPrefix.length);
    if (!existsSync(policy.files.uploadPath(id)))
      throw new AppError('invalid', `Unknown upload: ${input.url}`);
    return;
  }
  let origin: string;
  try {
    origin = new URL(input.url).origin;
  } catch {
    throw new AppError('invalid', `Not a URL: ${input.url}`);
  }
  if (!policy.allowedOrigins.includes(origin)) {
    throw new AppError(
      'invalid',
      `Import from ${origin} is not allowed: upload the file to /bulk/uploads or add the origin to YIYUN_IMPORT_ALLOWED_ORIGINS`,
    );
  }
}

function linesOf(stream: NodeJS.ReadableStream): AsyncIterable<string> {
  return createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
}

/**
 * Opened only when iteration starts: a readline interface created earlier starts emitting lines
 * before anyone listens, and its async iterator then never sees them (nor the end).
 */
async function* fileLines(path: string): AsyncGenerator<string> {
  yield* linesOf(createReadStream(path, { encoding: 'utf8' }));
}

async function* remoteLines(url: string): AsyncGenerator<string> {
  const response = await fetch(url, { headers: { accept: 'application/fhir+ndjson' }, redirect: 'error' });
  if (!response.ok || !response.body)
    throw new AppError('invalid', `Fetching ${url} failed: HTTP ${response.status}`);
  yield* linesOf(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream));
}

/** Opens an input as lines: a local upload, or a fetch from an allowed origin. */
export function openSource(input: ImportInput, policy: SourcePolicy): NdjsonSource {
  checkInput(input, policy);
  if (input.url.startsWith(policy.uploadUrlPrefix)) {
    const path = policy.files.uploadPath(input.url.slice(policy.uploadUrlPrefix.length));
    return { name: input.url, lines: fileLines(path) };
  }
  return { name: input.url, lines: remoteLines(input.url) };
}
