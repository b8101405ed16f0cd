/** `yiyun serve` on PostgreSQL as its own process (optionally CPU-profiled), for the load benchmark. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

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

export interface SynthBenchServer extends AsyncDisposable {
  readonly url: string;
  readonly child: ChildProcess;
}

export interface ServerOptions {
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** Node flags for the server process, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
}

export async function startServer(options: ServerOptions): Promise<SynthBenchServer> {
  const port = await freePort();
  const args = [
    ...(options.nodeArgs ?? []),
    MAIN,
    'serve',
    '--port',
    String(port),
    '--database-url',
    options.databaseUrl,
    '--data',
    options.dataDir,
    '--demo-residents',
    '0',
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, YIYUN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // The server must not outlive an interrupted benchmark.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bench server exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      kill();
      throw new Error('bench server not ready after 120 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    async [Symbol.asyncDispose]() {
      process.off('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM'); // a clean exit writes the CPU profile
      await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
      if (child.exitCode === null) kill();
    },
  };
}
