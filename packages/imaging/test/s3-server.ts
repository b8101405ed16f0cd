import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * An S3-protocol server on 127.0.0.1 for tests. `s3rver` is a stand-in for MinIO / Ceph RGW,
 * which cannot be installed here; the code under test talks to it with the real AWS SDK.
 * It runs in a child process (see `s3-server-child.ts`) so that `stop()` is a real crash.
 */
export interface TestS3Server extends AsyncDisposable {
  readonly endpoint: string;
  readonly bucket: string;
  /** s3rver accepts only this key pair (it checks SigV4 signatures). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Kills the server at once (SIGKILL): open connections drop, new ones are refused. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same data. */
  restart(): Promise<void>;
}

const ACCESS_KEY = 'S3RVER';
const CHILD = new URL('./s3-server-child.ts', import.meta.url).pathname;

export async function startS3Server(options: { bucket?: string } = {}): Promise<TestS3Server> {
  const bucket = options.bucket ?? 'yiyun-test';
  const directory = await mkdtemp(join(tmpdir(), 'yiyun-s3-'));
  let child: ChildProcess | undefined;
  let port: number;
  try {
    ({ child, port } = await spawnServer({ directory, bucket, port: 0 }));
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: ACCESS_KEY,
    stop,
    async restart() {
      await stop();
      ({ child } = await spawnServer({ directory, bucket, port }));
    },
    async [Symbol.asyncDispose]() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function spawnServer(args: {
  directory: string;
  bucket: string;
  port: number;
}): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CHILD, JSON.stringify(args)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 20 s: ${stderr}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}) before listening: ${stderr}`));
    });
  });
  lines.close();
  child.removeAllListeners('exit');
  return { child, port };
}
