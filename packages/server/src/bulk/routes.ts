import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, toOperationOutcome } from '@yiyun/fhir';
import type { JobStore } from '@yiyun/store';
import { Hono } from 'hono';
import type { BulkFiles } from './files.ts';

export interface BulkRouteDeps {
  readonly jobs: JobStore;
  readonly files: BulkFiles;
  readonly uploadUrl: (id: string) => string;
  readonly maxUploadBytes: number;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function errorResponse(err: unknown): Response {
  if (!(err instanceof AppError)) throw err;
  return new Response(JSON.stringify(toOperationOutcome(err)), {
    status: err.status,
    headers: { 'content-type': FHIR_JSON },
  });
}

/** A byte counter that fails the upload once it passes the limit. */
function limit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new AppError('too-large', `Upload exceeds ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
}

/**
 * Bulk Data status and file endpoints (https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-status-request),
 * plus NDJSON uploads for `$import`.
 */
export function bulkRoutes(deps: BulkRouteDeps): Hono {
  const app = new Hono();
  app.get('/status/:id', async (c) => {
    try {
      const job = await deps.jobs.get(c.req.param('id'));
      if (job.status === 'cancelled') throw new AppError('not-found', 'The job was cancelled');
      if (job.status === 'queued' || job.status === 'running') {
        const done = Number(
          (job.progress as { exported?: number; read?: number } | null)?.exported ??
            job.progress?.['read'] ??
            0,
        );
        return c.body(null, 202, { 'x-progress': `${job.status}: ${done} resources`, 'retry-after': '2' });
      }
      if (job.status === 'failed') {
        throw new AppError('internal', `The ${job.kind} job failed: ${job.error ?? 'unknown error'}`);
      }
      return c.json(job.result ?? {}, 200);
    } catch (err) {
      if (err instanceof AppError && err.code === 'internal') {
        return new Response(JSON.stringify(toOperationOutcome(new AppError('unprocessable', err.message))), {
          status: 500,
          headers: { 'content-type': FHIR_JSON },
        });
      }
      return errorResponse(err);
    }
  });
  app.delete('/status/:id', async (c) => {
    try {
      await deps.jobs.cancel(c.req.param('id'));
      return c.body(null, 202);
    } catch (err) {
      return errorResponse(err);
    }
  });
  app.get('/files/:id/:name', async (c) => {
    try {
      const path = deps.files.path(c.req.param('id'), c.req.param('name'));
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) throw new AppError('not-found', 'No such file');
      const body = Readable.toWeb(createReadStream(path)) as ReadableStream;
      return new Response(body, {
        headers: { 'content-type': 'application/fhir+ndjson', 'content-length': String(info.size) },
      });
    } catch (err) {
      return errorResponse(err);
    }
  });
  app.post('/uploads', async (c) => {
    try {
      const declared = Number(c.req.header('content-length') ?? 0);
      if (declared > deps.maxUploadBytes)
        throw new AppError('too-large', `Upload exceeds ${deps.maxUploadBytes} bytes`);
      const body = c.req.raw.body;
      if (!body) throw new AppError('invalid', 'Empty upload');
      await deps.files.uploadDir();
      const id = randomUUID();
      const path = deps.files.uploadPath(id);
      await pipeline(
        Readable.fromWeb(body as import('node:stream/web').ReadableStream),
        limit(deps.maxUploadBytes),
        createWriteStream(path),
      );
      return c.json({ url: deps.uploadUrl(id) }, 201, { location: deps.uploadUrl(id) });
    } catch (err) {
      return errorResponse(err);
    }
  });
  return app;
}
