/** Starts bench/pacs/yiyun-server.ts as its own process and follows the tokens it prints. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./yiyun-server.ts', import.meta.url));

export interface YiyunProcess extends AsyncDisposable {
  readonly origin: string;
  readonly dicomPort: number;
  readonly pid: number | undefined;
  /** The newest access token (the server prints a fresh one every few minutes). */
  token(): string;
}

export async function startYiyun(options: { cipher: string; replicas: number }): Promise<YiyunProcess> {
  const child = spawn(process.execPath, [SERVER, options.cipher, String(options.replicas)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  let latest: { origin: string; dicomPort: number; token: string } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the Yiyun bench server exited (${code})`)));
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      latest = JSON.parse(line) as typeof latest;
      resolve();
    });
  });
  await ready;
  const first = latest;
  if (!first) throw new Error('the Yiyun bench server printed nothing');
  return {
    origin: first.origin,
    dicomPort: first.dicomPort,
    pid: child.pid,
    token: () => latest?.token ?? first.token,
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
