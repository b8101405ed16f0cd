/**
 * Test support only: the DICOMweb routes over the REAL imaging service (index on the test store,
 * image store on a temp directory with AES-256-GCM), served by `@hono/node-server` on 127.0.0.1:0.
 * Bearer tokens stand in for the platform's auth: `Bearer h1` / `Bearer h2` are institutions that
 * store, `Bearer reader-h1` sees h1's records but may not store; no token is a 401.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { AppError } from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import { type Context, Hono } from 'hono';
import { FsBlobStore } from '../blob/index.ts';
import { createKeyRing, createObjectCipher } from '../crypto/index.ts';
import { parsePart10 } from '../dicom/index.ts';
import { fhirStudyRecords } from '../records/index.ts';
import { createImagingService } from '../service/index.ts';
import type { ImagingCaller, ImagingService } from '../service/port.ts';
import { institutionCaller } from '../service/test-support.ts';
import { createImageStore } from '../storage/index.ts';
import { dicomwebRoutes } from './routes.ts';

export const VIEWER_ORIGIN = 'https://viewer.example.cn';
export const MAX_UPLOAD = 4 * 1024 * 1024;
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

export interface LogLine {
  readonly level: 'error' | 'warn';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

export interface DicomwebServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>/dicomweb` */
  readonly url: string;
  readonly store: Store;
  /** How many times `service.store` was called (the real service counts nothing itself). */
  readonly storeCalls: () => number;
  readonly logs: LogLine[];
}

function callerOf(c: Context): ImagingCaller {
  const token = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (token === 'h1' || token === 'h2') return institutionCaller(token);
  if (token === 'reader-h1') return institutionCaller('h1', { canStore: false });
  // A failure that is not an AppError: must become a generic 500.
  if (token === 'explode') throw new Error('secret internal detail');
  throw new AppError('unauthenticated', 'Authentication required');
}

export async function startDicomweb(): Promise<DicomwebServer> {
  const store = await createTestStore({ registryPollMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'yiyun-dicomweb-'));
  const sql = store.database.sql;
  const images = await createImageStore({
    sql,
    hot: new FsBlobStore({ name: 'hot', root: dir }),
    cold: [],
    replicas: 1,
    cipher: createObjectCipher({
      suite: 'aes-256-gcm',
      keyRing: createKeyRing({ id: 'k1', key: randomBytes(32) }),
    }),
  });
  const real = await createImagingService({
    sql,
    images,
    records: fhirStudyRecords({ repo: store.repository(), registry: store.registry }),
  });
  let calls = 0;
  const service: ImagingService = {
    store: (bytes, caller, options) => {
      calls++;
      return real.store(bytes, caller, options);
    },
    query: (q, caller) => real.query(q, caller),
    locate: (s, caller) => real.locate(s, caller),
    read: (loc, range) => real.read(loc, range),
  };
  const logs: LogLine[] = [];
  const logger = {
    error: (fields: Record<string, unknown>, message: string) =>
      logs.push({ level: 'error', fields, message }),
    warn: (fields: Record<string, unknown>, message: string) => logs.push({ level: 'warn', fields, message }),
  };
  let app: Hono | undefined;
  const server = serve({ fetch: (req, env) => app!.fetch(req, env), port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicomweb`;
  const root = new Hono();
  root.use('*', async (c, next) => {
    c.set('requestId' as never, (c.req.header('x-request-id') ?? 'req-test') as never);
    await next();
  });
  root.route(
    '/dicomweb',
    dicomwebRoutes({
      service,
      caller: callerOf,
      parse: (b) => parsePart10(b),
      baseUrl: url,
      maxUploadBytes: MAX_UPLOAD,
      logger,
      corsOrigins: [VIEWER_ORIGIN],
    }),
  );
  app = root;
  return {
    url,
    store,
    storeCalls: () => calls,
    logs,
    async [Symbol.asyncDispose]() {
      server.close();
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await images.idle();
      await store[Symbol.asyncDispose]();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A pydicom test file (Debian's python3-pydicom), as an ArrayBuffer-backed view. */
export async function pydicomFile(name: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await readFile(join(PYDICOM, name)));
}

/** A `multipart/related; type="application/dicom"` body by hand, for raw-fetch cases. */
export function stowBody(
  parts: readonly Uint8Array[],
  boundary: string,
  partType = 'application/dicom',
): Uint8Array<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${partType}\r\n\r\n`),
      Buffer.from(part),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new Uint8Array(Buffer.concat(chunks));
}
