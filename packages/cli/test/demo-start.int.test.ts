/**
 * `yiyun serve` on an empty store loads the demo region before it listens, and a second start on the
 * same store serves what is there without loading again (issue #3, scope item 6). The store is the
 * embedded PGlite in a fresh data directory, or a fresh PostgreSQL database per YIYUN_TEST_STORE.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { createTestDatabase, testStoreKind } from '@yiyun/store/testing';
import { isValidResidentId, SYSTEMS } from '@yiyun/synth';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './server-process.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const RESIDENTS = 150;

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), 'yiyun-demo-'));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** `--database-url` of a fresh PostgreSQL database when the suite runs on PostgreSQL. */
async function storeArgs(): Promise<{ args: string[] } & AsyncDisposable> {
  if (testStoreKind() !== 'postgres') return { args: [], [Symbol.asyncDispose]: async () => {} };
  const db = await createTestDatabase();
  return { args: ['--database-url', db.url], [Symbol.asyncDispose]: () => db[Symbol.asyncDispose]() };
}

async function total(base: string, query: string): Promise<number> {
  const bundle = (await (await fetch(`${base}/fhir/R4/${query}`)).json()) as Bundle;
  return bundle.total ?? -1;
}

async function allPatients(base: string): Promise<Patient[]> {
  const bundle = (await (await fetch(`${base}/fhir/R4/Patient?_count=1000`)).json()) as Bundle<Patient>;
  return (bundle.entry ?? []).map((e) => e.resource as Patient);
}

/** The demographic errors the ground truth records for each Patient (`missing-id`, `typo-id` …). */
async function recordedErrors(dataDir: string): Promise<Map<string, readonly string[]>> {
  const text = await readFile(join(dataDir, 'demo', 'ground-truth', 'persons.ndjson'), 'utf8');
  const rows = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { patient: string; errors: string[] });
  return new Map(rows.map((r) => [r.patient, r.errors]));
}

/** Runs `yiyun serve` expecting it to stop before serving; resolves with its exit code and stderr. */
async function runToExit(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, YIYUN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, stderr };
}

describe('npm start with a demo region', () => {
  it('loads an empty store before serving, and a second start serves the same data without loading', async () => {
    await using dir = await tempDir();
    await using store = await storeArgs();
    const args = ['--data', dir.path, '--demo-residents', String(RESIDENTS), ...store.args];

    let patients: number;
    let observations: number;
    {
      await using first = await startServerProcess(args);
      patients = await total(first.url, 'Patient?_summary=count');
      observations = await total(first.url, 'Observation?_summary=count');
      expect(patients).toBeGreaterThan(RESIDENTS * 0.9); // duplicates add ~10 %; deaths stay on record
      expect(observations).toBeGreaterThan(patients);
      expect(first.output()).toContain(`${first.url}/fhir/R4/metadata`);
      expect(first.output()).toMatch(new RegExp(`${RESIDENTS} residents \\(${patients} Patient records\\)`));

      // Every registration carries an 18-digit resident ID number with a valid GB 11643 check digit,
      // except the duplicates the generator spoiled on purpose (and says so in its ground truth).
      const errors = await recordedErrors(dir.path);
      const found = await allPatients(first.url);
      expect(found).toHaveLength(patients);
      let valid = 0;
      for (const patient of found) {
        const spoilt = errors.get(patient.id ?? '') ?? [];
        const residentId = patient.identifier?.find((i) => i.system === SYSTEMS.residentId)?.value;
        if (residentId === undefined) {
          expect(spoilt).toContain('missing-id');
          continue;
        }
        expect(residentId).toMatch(/^\d{17}[\dX]$/);
        if (isValidResidentId(residentId)) valid++;
        else expect(spoilt).toContain('typo-id');
      }
      expect(valid).toBeGreaterThan(RESIDENTS * 0.9);
    }

    const started = Date.now();
    await using second = await startServerProcess(args);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(second.output()).toContain('nothing loaded');
    expect(await total(second.url, 'Patient?_summary=count')).toBe(patients);
    expect(await total(second.url, 'Observation?_summary=count')).toBe(observations);
    const one = (await allPatients(second.url))[0];
    expect(one?.meta?.versionId).toBe('1'); // not re-imported as an update
  });

  it('is loaded once when two replicas start together on one empty PostgreSQL database', async () => {
    // Always PostgreSQL: two processes cannot share one embedded database.
    await using db = await createTestDatabase();
    await using dirA = await tempDir();
    await using dirB = await tempDir();
    const demo = ['--database-url', db.url, '--demo-residents', '40'];
    const [a, b] = await Promise.all([
      startServerProcess(['--data', dirA.path, ...demo]),
      startServerProcess(['--data', dirB.path, ...demo]),
    ]);
    await using _a = a;
    await using _b = b;
    const outputs = [a.output(), b.output()];
    expect(outputs.filter((o) => o.includes('resources loaded'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('nothing loaded'))).toHaveLength(1);
    const loader = a.output().includes('resources loaded') ? dirA.path : dirB.path;
    const found = await allPatients(b.url);
    expect(found).toHaveLength((await recordedErrors(loader)).size);
    expect(found.every((p) => p.meta?.versionId === '1')).toBe(true);
  });

  it('loads nothing when the operator turns the demo off', async () => {
    await using dir = await tempDir();
    await using store = await storeArgs();
    await using server = await startServerProcess(['--data', dir.path, ...store.args], {
      YIYUN_DEMO_RESIDENTS: '0',
    });
    expect(await total(server.url, 'Patient?_summary=count')).toBe(0);
  });

  it('refuses a bad size with exit code 2 and a message naming the flag or variable', async () => {
    await using dir = await tempDir();
    for (const bad of ['-1', 'abc']) {
      const { code, stderr } = await runToExit(['--data', dir.path, '--demo-residents', bad]);
      expect(code).toBe(2);
      expect(stderr).toContain(`option '--demo-residents <n>' argument '${bad}' is invalid`);
    }
    const fromEnv = await runToExit(['--data', dir.path], { YIYUN_DEMO_RESIDENTS: 'abc' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('YIYUN_DEMO_RESIDENTS');
  });
});
