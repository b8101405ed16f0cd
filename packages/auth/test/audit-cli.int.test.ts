/**
 * `yiyun audit verify` as a real child process: exit 0 on an intact log, 1 after tampering (naming
 * the first bad entry), 2 on a usage error. On the PostgreSQL pass it attaches with --database-url;
 * on the PGlite pass with --data, after this process has closed the embedded database.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@yiyun/store';
import { createTestDatabase, testStoreKind } from '@yiyun/store/testing';
import { describe, expect, it } from 'vitest';
import { openAuditLog } from '../src/audit/index.ts';

const MAIN = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));

interface Target extends AsyncDisposable {
  /** Runs SQL against the database while no child process holds it. */
  withSql<T>(fn: (sql: Awaited<ReturnType<typeof openStore>>['database']['sql']) => Promise<T>): Promise<T>;
  readonly args: string[];
}

async function createTarget(): Promise<Target> {
  if (testStoreKind() === 'postgres') {
    const db = await createTestDatabase();
    return {
      args: ['--database-url', db.url],
      async withSql(fn) {
        const store = await openStore({ databaseUrl: db.url, maxConnections: 2, registryPollMs: 0 });
        try {
          return await fn(store.database.sql);
        } finally {
          await store.close();
        }
      },
      [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'yiyun-audit-cli-'));
  return {
    args: ['--data', dir],
    async withSql(fn) {
      const store = await openStore({ dataDir: join(dir, 'pg'), registryPollMs: 0 });
      try {
        return await fn(store.database.sql);
      } finally {
        await store.close();
      }
    },
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, YIYUN_LOG_LEVEL: 'warn' };
  delete env['DATABASE_URL'];
  delete env['YIYUN_DATA'];
  const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('yiyun audit verify', () => {
  it('exits 0 on an intact log and 1 after an event is modified, naming it', async () => {
    await using target = await createTarget();
    const head = await target.withSql(async (sql) => {
      const log = await openAuditLog({ sql, sealMarginMs: 0, batchSize: 8 });
      for (let i = 1; i <= 20; i++)
        await log.record({
          kind: 'read',
          outcome: 'success',
          agent: { account: `a-${i}` },
          patients: [`p-${i}`],
        });
      await log.seal();
      const report = await log.verify();
      await log.close();
      return report.head!;
    });

    const intact = await runCli(['audit', 'verify', ...target.args]);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('Chain intact.');
    expect(intact.stdout).toContain(`Head hash: ${head.batchHash}`);
    expect(intact.stdout).toContain('3 sealed batches, 20 sealed events');

    const anchored = await runCli([
      'audit',
      'verify',
      ...target.args,
      '--anchor',
      `${head.batchNo}:${head.batchHash}`,
    ]);
    expect(anchored.code).toBe(0);

    await target.withSql((sql) => sql`update audit_event set patients = '{p-99}' where seq = 11`);
    const tampered = await runCli(['audit', 'verify', ...target.args]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('TAMPERED');
    expect(tampered.stdout).toContain('First bad entry: seq 11 [modified]');
  });

  it('exits 2 on a usage error', async () => {
    const bad = await runCli([
      'audit',
      'verify',
      '--anchor',
      'not-an-anchor',
      '--database-url',
      'postgres://127.0.0.1:1/x',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--anchor must be');
    const unknown = await runCli(['audit', 'verify', '--no-such-flag']);
    expect(unknown.code).toBe(2);
  });
});
