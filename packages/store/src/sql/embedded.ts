import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgres {
  /** Directory holding the Unix socket (`host` for PostgreSQL clients). */
  readonly socketDir: string;
  readonly socketPath: string;
  close(): Promise<void>;
}

type WorkerMessage = { kind: 'ready' } | { kind: 'closed' } | { kind: 'error'; message: string };

/**
 * Starts PGlite in a worker thread and serves it on a Unix socket.
 * `dataDir` is a directory for persistent data, or `memory://` for a throwaway database.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  // Socket paths are limited to ~107 bytes, so the socket lives in a short private temp dir.
  const socketDir = join(tmpdir(), `yiyun-pg-${randomBytes(6).toString('hex')}`);
  mkdirSync(socketDir, { mode: 0o700 });
  const socketPath = join(socketDir, '.s.PGSQL.5432');
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), {
    workerData: { dataDir, socketPath },
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
