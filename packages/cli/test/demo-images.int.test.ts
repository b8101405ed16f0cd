/**
 * `yiyun serve` with a demo region puts the region's images into the PACS before it listens, linked
 * to the same Patient and ImagingStudy records as the FHIR data, and only once (issue #6, scopes 3
 * and 8: a clinician opens a demo resident's study in the viewer). The store is the embedded PGlite
 * in a fresh data directory, or a fresh PostgreSQL database per YIYUN_TEST_STORE.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, ImagingStudy, Patient } from '@medplum/fhirtypes';
import { createTestDatabase, testStoreKind } from '@yiyun/store/testing';
import { SYSTEMS } from '@yiyun/synth';
import { describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './server-process.ts';

const RESIDENTS = 60;

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), 'yiyun-demo-images-'));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** `--database-url` of a fresh PostgreSQL database when the suite runs on PostgreSQL. */
async function storeArgs(): Promise<{ args: string[] } & AsyncDisposable> {
  if (testStoreKind() !== 'postgres') return { args: [], [Symbol.asyncDispose]: async () => {} };
  const db = await createTestDatabase();
  return { args: ['--database-url', db.url], [Symbol.asyncDispose]: () => db[Symbol.asyncDispose]() };
}

/** A token of the demo system client (saved beside the demo accounts), as an integrator would get one. */
async function demoClientToken(server: ServerProcess, dataDir: string): Promise<string> {
  const saved = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as {
    clients: { clientId: string; clientSecret: string }[];
  };
  const client = saved.clients[0];
  if (!client) throw new Error('no demo client saved');
  // Each start listens on a new port: the saved token endpoint names the first one.
  const response = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

type DicomJson = Record<string, { Value?: unknown[] }>;

async function qidoStudies(server: ServerProcess, token: string): Promise<DicomJson[]> {
  const response = await fetch(`${server.url}/dicomweb/studies?limit=1000`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/dicom+json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as DicomJson[];
}

const value = (ds: DicomJson, tag: string) => ds[tag]?.Value?.[0] as string | undefined;

async function fhir<T>(server: ServerProcess, token: string, path: string): Promise<T> {
  const response = await fetch(`${server.url}/fhir/R4/${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function imagingStudies(server: ServerProcess, token: string): Promise<ImagingStudy[]> {
  const bundle = await fhir<Bundle<ImagingStudy>>(server, token, 'ImagingStudy?_count=1000');
  return (bundle.entry ?? []).map((e) => e.resource as ImagingStudy);
}

const uidOf = (study: ImagingStudy) =>
  study.identifier?.find((i) => i.system === SYSTEMS.dicomUid)?.value?.replace('urn:oid:', '');

/** Patient records the generator wrote (its ground truth lists each once). */
async function generatedPatients(dataDir: string): Promise<number> {
  const text = await readFile(join(dataDir, 'demo', 'ground-truth', 'persons.ndjson'), 'utf8');
  return text.split('\n').filter(Boolean).length;
}

/** Every stored study is the demo's ImagingStudy, and its instance names the subject Patient's MRN. */
async function expectLinked(server: ServerProcess, token: string, studies: DicomJson[]) {
  const byUid = new Map((await imagingStudies(server, token)).map((s) => [uidOf(s), s]));
  for (const ds of studies) {
    const uid = value(ds, '0020000D');
    const study = byUid.get(uid);
    expect(study, uid).toBeDefined();
    // Written by the PACS (the platform's DICOMweb endpoint), on the same subject as generated.
    expect(study?.endpoint?.map((e) => e.reference)).toContain('Endpoint/yiyun-dicomweb');
    expect(study?.series?.[0]?.instance).toHaveLength(1);
    const subject = study?.subject?.reference ?? '';
    const patient = await fhir<Patient>(server, token, subject);
    const mrn = patient.identifier?.find((i) => i.system === SYSTEMS.mrn)?.value;
    expect(value(ds, '00100020')).toBe(mrn);
    const sameMrn = await fhir<Bundle<Patient>>(server, token, `Patient?identifier=${SYSTEMS.mrn}|${mrn}`);
    expect(sameMrn.entry?.map((e) => e.resource?.id)).toEqual([patient.id]);
  }
}

describe('npm start puts the demo region’s images into the PACS', () => {
  it('stores one study per demo ImagingStudy, linked to its Patient, once', async () => {
    await using dir = await tempDir();
    await using store = await storeArgs();
    const args = ['--data', dir.path, '--demo-residents', String(RESIDENTS), ...store.args];
    let stored: DicomJson[];
    let versions: Map<string | undefined, string | undefined>;
    {
      await using first = await startServerProcess(args);
      expect(first.output()).toMatch(/demo images \[.*\] 100% \| (\d+)\/\1 studies stored/);
      const token = await demoClientToken(first, dir.path);
      stored = await qidoStudies(first, token);
      expect(stored.length).toBeGreaterThanOrEqual(3);
      await expectLinked(first, token, stored);
      // No Patient record was created for the images.
      const patients = await fhir<Bundle>(first, token, 'Patient?_summary=count');
      expect(patients.total).toBe(await generatedPatients(dir.path));
      // The first study's instance can be fetched (what the viewer does).
      const uid = value(stored[0] ?? {}, '0020000D');
      const metadata = await fetch(`${first.url}/dicomweb/studies/${uid}/metadata`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/dicom+json' },
      });
      expect(metadata.status).toBe(200);
      versions = new Map((await imagingStudies(first, token)).map((s) => [s.id, s.meta?.versionId]));
    }
    {
      // A second start sends nothing.
      await using second = await startServerProcess(args);
      expect(second.output()).not.toContain('demo images');
      const token = await demoClientToken(second, dir.path);
      expect(await qidoStudies(second, token)).toHaveLength(stored.length);
    }
    // A start that stopped before it finished (no marker) sends again: the same bytes change nothing.
    await rm(join(dir.path, 'demo', 'images.json'));
    await using third = await startServerProcess(args);
    expect(third.output()).toContain('demo images');
    const token = await demoClientToken(third, dir.path);
    expect(await qidoStudies(third, token)).toHaveLength(stored.length);
    const after = new Map((await imagingStudies(third, token)).map((s) => [s.id, s.meta?.versionId]));
    expect(after).toEqual(versions);
    const patients = await fhir<Bundle>(third, token, 'Patient?_summary=count');
    expect(patients.total).toBe(await generatedPatients(dir.path));
  });
});
