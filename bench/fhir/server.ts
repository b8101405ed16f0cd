import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { type BenchFetch, benchClient, clientToken } from '../lib/client.ts';

/** The platform client the benchmark signs in with (registered through YIYUN_BOOTSTRAP_CLIENT). */
const BENCH_CLIENT = { id: 'bench-platform', secret: randomBytes(32).toString('base64url') };

const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface BenchServer {
  readonly url: string;
  /** Requests with the bootstrap platform client's token (`system/*.cruds`). */
  readonly http: BenchFetch;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** `yiyun serve` as its own process, as in production (the load generator runs in this one). */
export async function startBenchServer(databaseUrl: string, dataDir: string): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'serve',
      '--port',
      String(port),
      '--database-url',
      databaseUrl,
      '--data',
      dataDir,
      '--demo-residents',
      '0',
    ],
    {
      env: {
        ...process.env,
        YIYUN_LOG_LEVEL: 'warn',
        YIYUN_MAX_BODY_BYTES: String(256 * 1024 * 1024),
        YIYUN_BOOTSTRAP_CLIENT: `${BENCH_CLIENT.id}:${BENCH_CLIENT.secret}`,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  // The server must not outlive an interrupted benchmark.
  process.once('exit', () => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error('bench server exited');
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 600) {
      child.kill('SIGKILL');
      throw new Error('bench server not ready');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    http: benchClient(url, () => clientToken(url, BENCH_CLIENT.id, BENCH_CLIENT.secret)),
    child,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
