/** Running `yiyun <command>` as a child process in tests, on a fresh store of the suite's kind. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, testStoreKind } from '@yiyun/store/testing';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), 'yiyun-cli-'));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** `--data` of a fresh directory and, when the suite runs on PostgreSQL, `--database-url` of a fresh database. */
export async function storeArgs(): Promise<{ args: string[] } & AsyncDisposable> {
  const dir = await tempDir();
  if (testStoreKind() !== 'postgres')
    return { args: ['--data', dir.path], [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose]() };
  const db = await createTestDatabase();
  return {
    args: ['--data', dir.path, '--database-url', db.url],
    async [Symbol.asyncDispose]() {
      await db[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    },
  };
}

/** Runs `yiyun …args` to its end (killed after `timeoutMs`); resolves with exit code, stdout and stderr. */
export async function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 100_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
