/**
 * `yiyun serve` on an empty store loads the demo region before it listens, creates one demo account
 * per role, and a second start on the same store serves what is there without loading or creating
 * again (issue #3, scope item 6; issue #4, demo accounts). The store is the embedded PGlite in a fresh
 * data directory, or a fresh PostgreSQL database per YIYUN_TEST_STORE.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Bundle,
  Encounter,
  EpisodeOfCare,
  Patient,
  Practitioner,
  PractitionerRole,
} from '@medplum/fhirtypes';
import { PgAccountStore, ROLES } from '@yiyun/auth';
import { openStore } from '@yiyun/store';
import { createTestDatabase, testStoreKind } from '@yiyun/store/testing';
import { isValidResidentId, SYSTEMS } from '@yiyun/synth';
import { describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './server-process.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const RESIDENTS = 150;

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), 'yiyun-demo-'));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** `--database-url` of a fresh PostgreSQL database when the suite runs on PostgreSQL. */
async function storeArgs(): Promise<{ args: string[]; url?: string } & AsyncDisposable> {
  if (testStoreKind() !== 'postgres') return { args: [], [Symbol.asyncDispose]: async () => {} };
  const db = await createTestDatabase();
  return {
    args: ['--database-url', db.url],
    url: db.url,
    [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
  };
}

interface SavedAccount {
  role: string;
  username: string;
  password: string;
  displayName: string;
  organization?: string;
  practitioner?: string;
  practitionerRole?: string;
  patient?: string;
}

async function readCredentials(dataDir: string) {
  const file = join(dataDir, 'demo-credentials.json');
  const mode = (await stat(file)).mode & 0o777;
  const text = await readFile(file, 'utf8');
  return { mode, text, saved: JSON.parse(text) as { accounts: SavedAccount[]; clients: unknown[] } };
}

async function get<T>(base: ServerProcess, path: string): Promise<T> {
  const response = await base.fetch(`/fhir/R4/${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** Each staff account is a Practitioner with a PractitionerRole at its institution, named as the record. */
async function expectStaffLinked(base: ServerProcess, a: SavedAccount) {
  const practitioner = await get<Practitioner>(base, `Practitioner/${a.practitioner}`);
  expect(practitioner.name?.[0]?.text).toBe(a.displayName);
  const role = await get<PractitionerRole>(base, `PractitionerRole/${a.practitionerRole}`);
  expect(role.practitioner?.reference).toBe(`Practitioner/${a.practitioner}`);
  expect(role.organization?.reference).toBe(`Organization/${a.organization}`);
}

/** The resident has a family-doctor contract with the demo family doctor and records at several institutions. */
async function expectResidentLinked(base: ServerProcess, byRole: Map<string, SavedAccount>) {
  const resident = byRole.get('resident')!;
  const patient = await get<Patient>(base, `Patient/${resident.patient}`);
  expect(patient.name?.[0]?.text).toBe(resident.displayName);
  const contracts = await get<Bundle<EpisodeOfCare>>(
    base,
    `EpisodeOfCare?patient=Patient/${resident.patient}&status=active`,
  );
  const gp = byRole.get('family-doctor')!;
  const contract = contracts.entry?.find(
    (e) => e.resource?.careManager?.reference === `Practitioner/${gp.practitioner}`,
  );
  expect(contract?.resource?.managingOrganization?.reference).toBe(`Organization/${gp.organization}`);
  const encounters = await get<Bundle<Encounter>>(
    base,
    `Encounter?patient=Patient/${resident.patient}&_count=1000`,
  );
  const places = new Set(encounters.entry?.map((e) => e.resource?.serviceProvider?.reference));
  expect(places.size).toBeGreaterThan(1);
  expect(places).toContain(`Organization/${byRole.get('clinician')!.organization}`);
}

/**
 * Signs every saved account in through PgAccountStore on the server's own database (server stopped),
 * and finds the demo resident's health card there.
 */
async function expectAccountsSignIn(dataDir: string, url: string | undefined, accounts: SavedAccount[]) {
  const store = await openStore(
    url ? { databaseUrl: url, maxConnections: 2 } : { dataDir: join(dataDir, 'pg') },
  );
  try {
    const directory = await PgAccountStore.open({ sql: store.database.sql });
    for (const a of accounts) {
      const result = await directory.authenticate({ username: a.username, password: a.password });
      expect(result.ok, a.username).toBe(true);
      if (result.ok) expect(result.account.roles).toEqual([a.role]);
      const wrong = await directory.authenticate({ username: a.username, password: `${a.password}x` });
      expect(wrong.ok).toBe(false);
    }
    const resident = accounts.find((a) => a.role === 'resident')!;
    const cards = await store.database.sql<{ n: number }[]>`
      select count(*)::int as n from health_card c join patient_person p on p.person_id = c.person_id
      where p.patient_id = ${resident.patient ?? ''} and c.revoked_at is null`;
    expect(cards[0]?.n).toBe(1);
  } finally {
    await store.close();
  }
}

async function total(base: ServerProcess, query: string): Promise<number> {
  const bundle = (await (await base.fetch(`/fhir/R4/${query}`)).json()) as Bundle;
  return bundle.total ?? -1;
}

async function allPatients(base: ServerProcess): Promise<Patient[]> {
  const bundle = (await (await base.fetch('/fhir/R4/Patient?_count=1000')).json()) as Bundle<Patient>;
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
    env: { ...process.env, YIYUN_LOG_LEVEL: 'warn', YIYUN_DICOM_PORT: '0', ...env },
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
    let accounts: SavedAccount[] = [];
    let credentials = '';
    {
      await using first = await startServerProcess(args);
      patients = await total(first, 'Patient?_summary=count');
      observations = await total(first, 'Observation?_summary=count');
      expect(patients).toBeGreaterThan(RESIDENTS * 0.9); // duplicates add ~10 %; deaths stay on record
      expect(observations).toBeGreaterThan(patients);
      expect(first.output()).toContain(`${first.url}/fhir/R4/metadata`);
      expect(first.output()).toMatch(new RegExp(`${RESIDENTS} residents \\(${patients} Patient records\\)`));

      // Every resident's registration carries an 18-digit resident ID number with a valid GB 11643
      // check digit, except the duplicates the generator spoiled on purpose (and says so in its
      // ground truth); foreign residents hold a passport instead.
      const errors = await recordedErrors(dir.path);
      const found = await allPatients(first);
      expect(found).toHaveLength(patients);
      let valid = 0;
      for (const patient of found) {
        const spoilt = errors.get(patient.id ?? '') ?? [];
        const residentId = patient.identifier?.find((i) => i.system === SYSTEMS.residentId)?.value;
        const passport = patient.identifier?.some((i) => i.system?.startsWith(SYSTEMS.passportPrefix));
        if (residentId === undefined && passport) continue;
        if (residentId === undefined) {
          expect(spoilt).toContain('missing-id');
          continue;
        }
        expect(residentId).toMatch(/^\d{17}[\dX]$/);
        if (isValidResidentId(residentId)) valid++;
        else expect(spoilt).toContain('typo-id');
      }
      expect(valid).toBeGreaterThan(RESIDENTS * 0.9);

      // One demo account per role a person signs in with, linked to real records, saved with mode 600.
      const { mode, saved } = await readCredentials(dir.path);
      expect(mode).toBe(0o600);
      // The demo system client signs in with client_secret_post (as the Medplum SDK does) and reads.
      expect(saved.clients).toHaveLength(1);
      const client = saved.clients[0] as { clientId: string; clientSecret: string; tokenEndpoint: string };
      expect(first.output()).toContain(client.clientSecret);
      const tokenResponse = await fetch(client.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        }),
      });
      expect(tokenResponse.status).toBe(200);
      const { access_token } = (await tokenResponse.json()) as { access_token: string };
      const read = await fetch(`${first.url}/fhir/R4/Patient?_summary=count`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(((await read.json()) as Bundle).total).toBe(patients);
      expect((await fetch(`${first.url}/fhir/R4/Patient?_summary=count`)).status).toBe(401);
      const byRole = new Map(saved.accounts.map((a) => [a.role, a]));
      expect([...byRole.keys()].sort()).toEqual(ROLES.filter((r) => r !== 'integration-system').sort());
      expect(saved.accounts.map((a) => a.username).sort()).toEqual(
        ['admin', 'analyst', 'doctor', 'family-doctor', 'hospital-admin', 'nurse', 'resident'].sort(),
      );
      for (const a of saved.accounts) {
        expect(first.output()).toContain(a.password);
        if (a.practitioner) await expectStaffLinked(first, a);
      }
      expect(byRole.get('hospital-admin')?.organization).toBe(byRole.get('doctor')?.organization);
      expect(byRole.get('nurse')?.organization).toBe(byRole.get('family-doctor')?.organization);
      await expectResidentLinked(first, byRole);
      accounts = saved.accounts;
      credentials = (await readCredentials(dir.path)).text;
    }
    await expectAccountsSignIn(dir.path, store.url, accounts);

    const started = Date.now();
    await using second = await startServerProcess(args);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(second.output()).toContain('nothing loaded');
    expect(second.output()).not.toContain('created now');
    for (const a of accounts) expect(second.output()).toContain(a.password);
    expect((await readCredentials(dir.path)).text).toBe(credentials);
    expect(await total(second, 'Patient?_summary=count')).toBe(patients);
    expect(await total(second, 'Observation?_summary=count')).toBe(observations);
    const one = (await allPatients(second))[0];
    expect(one?.meta?.versionId).toBe('1'); // not re-imported as an update
  });

  it('is loaded once when two replicas start together on one empty PostgreSQL database', async () => {
    // Always PostgreSQL: two processes cannot share one embedded database.
    await using db = await createTestDatabase();
    await using dirA = await tempDir();
    await using dirB = await tempDir();
    const demo = ['--database-url', db.url, '--demo-residents', '40'];
    // Replicas on one database share the platform master key.
    const key = { YIYUN_MASTER_KEY: randomBytes(32).toString('base64') };
    const [a, b] = await Promise.all([
      startServerProcess(['--data', dirA.path, ...demo], key),
      startServerProcess(['--data', dirB.path, ...demo], key),
    ]);
    await using _a = a;
    await using _b = b;
    const outputs = [a.output(), b.output()];
    expect(outputs.filter((o) => o.includes('resources loaded'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('nothing loaded'))).toHaveLength(1);
    const loader = a.output().includes('resources loaded') ? dirA.path : dirB.path;
    const found = await allPatients(b);
    expect(found).toHaveLength((await recordedErrors(loader)).size);
    expect(found.every((p) => p.meta?.versionId === '1')).toBe(true);
    // The demo accounts are created once, by the replica that loaded, and the other lists them.
    expect(outputs.filter((o) => o.includes('demo accounts  created now'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('created by another start'))).toHaveLength(1);
    const other = loader === dirA.path ? dirB.path : dirA.path;
    expect((await readCredentials(loader)).saved.accounts.length).toBeGreaterThan(0);
    await expect(access(join(other, 'demo-credentials.json'))).rejects.toThrow();
  });

  it('loads nothing when the operator turns the demo off', async () => {
    await using dir = await tempDir();
    await using store = await storeArgs();
    await using server = await startServerProcess(['--data', dir.path, ...store.args], {
      YIYUN_DEMO_RESIDENTS: '0',
    });
    expect(await total(server, 'Patient?_summary=count')).toBe(0);
  });

  it('says the port is taken, with exit code 2, instead of a stack trace', async () => {
    await using dir = await tempDir();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const { code, stderr } = await runToExit(['--data', dir.path, '--port', port], {
        YIYUN_DEMO_RESIDENTS: '0',
      });
      expect(code).toBe(2);
      expect(stderr).toContain(`Cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
      expect(stderr).not.toContain('    at ');
    } finally {
      taken.close();
    }
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
