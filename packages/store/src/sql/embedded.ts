import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgres {
  /** Directory holding the Unix socket (`host` for PostgreSQL clients). */
  readonly socketDir: string;
  readonly socketPath: string;
  /** Writes the whole data directory to `file` (a tar), for `templateFile` of later databases. */
  dump(file: string): Promise<void>;
  close(): Promise<void>;
}

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'dumped' }
  | { kind: 'closed' }
  | { kind: 'error'; message: string };

/**
 * Starts PGlite in a worker thread and serves it on a Unix socket.
 * `dataDir` is a directory for persistent data, or `memory://` for a throwaway database;
 * `templateFile` (a `dump`) gives a `memory://` database its starting contents instead of initdb.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  templateFile?: string,
): Promise<EmbeddedPostgres> {
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  // Socket paths are limited to ~107 bytes, so the socket lives in a short private temp dir.
  const socketDir = join(tmpdir(), `yiyun-pg-${randomBytes(6).toString('hex')}`);
  mkdirSync(socketDir, { mode: 0o700 });
  const socketPath = join(socketDir, '.s.PGSQL.5432');
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), {
    workerData: { dataDir, socketPath, ...(templateFile ? { templateFile } : {}) },
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      if (message.kind === 'ready') resolve();
      else if (message.kind === 'error')
        reject(new Error(`Embedded database failed to start: ${message.message}`));
    };
    worker.once('message', onMessage);
    worker.once('error', reject);
  });
  return {
    socketDir,
    socketPath,
    dump(file) {
      return new Promise<void>((resolve, reject) => {
        const onMessage = (message: WorkerMessage) => {
          if (message.kind !== 'dumped' && message.kind !== 'error') return;
          worker.off('message', onMessage);
          if (message.kind === 'dumped') resolve();
          else reject(new Error(`Embedded database dump failed: ${message.message}`));
        };
        worker.on('message', onMessage);
        worker.postMessage({ kind: 'dump', file });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (message: WorkerMessage) => {
          if (message.kind === 'closed') resolve();
        });
        worker.once('exit', () => resolve());
      });
      worker.postMessage('close');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
      await worker.terminate();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
