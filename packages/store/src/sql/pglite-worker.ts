/**
 * Worker thread that owns the embedded PGlite database and serves it over the PostgreSQL wire
 * protocol on a Unix socket, so that the main thread (and `psql -h <dir>`) use the same driver and
 * SQL as against a PostgreSQL server. PGlite serialises queries and blocks its thread; running it
 * here keeps the HTTP event loop free.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface WorkerInput {
  readonly dataDir: string;
  readonly socketPath: string;
  /** A data directory dumped by `dump` (a tar file) to start a `memory://` database from. */
  readonly templateFile?: string;
}

type Command = 'close' | { readonly kind: 'dump'; readonly file: string };

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('pglite-worker must run in a worker thread');

try {
  // btree_gist: the date-span index leads with the parameter key (migration 0006).
  const loadDataDir = input.templateFile ? new Blob([await readFile(input.templateFile)]) : undefined;
  const db = await PGlite.create(input.dataDir, {
    extensions: { btree_gist },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  const server = new PGLiteSocketServer({ db, path: input.socketPath });
  await server.start();
  port.on('message', (message: Command) => {
    if (typeof message === 'object' && message.kind === 'dump') {
      void (async () => {
        try {
          const tar = await db.dumpDataDir('none');
          const partial = `${message.file}.${process.pid}-${threadId}.partial`;
          await writeFile(partial, Buffer.from(await tar.arrayBuffer()));
          await rename(partial, message.file);
          port.postMessage({ kind: 'dumped' });
        } catch (err) {
          port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
        }
      })();
    } else if (message === 'close') {
      void (async () => {
        await server.stop();
        await db.close();
        port.postMessage({ kind: 'closed' });
      })();
    }
  });
  port.postMessage({ kind: 'ready' });
} catch (err) {
  port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
}
