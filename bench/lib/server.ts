/** `yiyun serve` on PostgreSQL as its own process, as in production (the load runs in this one). */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/cli/test/server-process.ts';
import { type BenchFetch, benchClient, clientToken } from './client.ts';

const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

/** The platform client benchmarks sign in with (registered through YIYUN_BOOTSTRAP_CLIENT). */
const BENCH_CLIENT = { id: 'bench-platform', secret: randomBytes(32).toString('base64url') };

export interface BenchServer extends AsyncDisposable {
  readonly url: string;
  /** Requests with the bootstrap platform client's token (`system/*.cruds`). */
  readonly http: BenchFetch;
  /** A fresh token of that client (for child processes such as `yiyun synth --server`). */
  token(): Promise<string>;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** Node flags for the server process, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
}

export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const port = await freePort();
  const args = [...(options.nodeArgs ?? []), MAIN, 'serve', '--port', String(port)];
  args.push('--database-url', options.databaseUrl, '--data', options.dataDir, '--demo-residents', '0');
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      YIYUN_LOG_LEVEL: 'warn',
      YIYUN_DICOM_PORT: '0',
      YIYUN_MAX_BODY_BYTES: String(256 * 1024 * 1024),
      YIYUN_BOOTSTRAP_CLIENT: `${BENCH_CLIENT.id}:${BENCH_CLIENT.secret}`,
      // A 100 k-resident load outlives the default 15-minute token of `yiyun synth --server`.
      YIYUN_ACCESS_TOKEN_SECONDS: '7200',
    },
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
  const token = () => clientToken(url, BENCH_CLIENT.id, BENCH_CLIENT.secret);
  const stop = async () => {
    process.off('exit', kill);
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM'); // a clean exit writes a CPU profile
    await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
    if (child.exitCode === null) kill();
  };
  return { url, http: benchClient(url, token), token, child, stop, [Symbol.asyncDispose]: stop };
}
