/**
 * Issue #6 acceptance on Debian's python3-pydicom test data: every file goes through STOW-RS on the
 * real DICOMweb routes, imaging service, index and image store (hot and cold tiers on disk, two
 * copies, AES-256-GCM); every accepted one comes back from WADO-RS byte-identical, every refused one
 * gets a STOW failure carrying its reviewed reason and leaves nothing behind. Files sharing a SOP
 * Instance UID (the corpus holds one instance in several transfer syntaxes) go to separate stores.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from '../src/blob/index.ts';
import { createKeyRing, createObjectCipher } from '../src/crypto/index.ts';
import { parsePart10 } from '../src/dicom/index.ts';
import { pydicomCorpus } from '../src/dicom/pydicom-files.ts';
import { EXPECTED_REFUSALS, PYDICOM_ACCEPTED } from '../src/dicom/pydicom-reviewed.ts';
import { chunksOf, parseMediaType, readMultipart } from '../src/dicomweb/index.ts';
import { dicomwebRoutes } from '../src/dicomweb/routes.ts';
import { pydicomFile, stowBody } from '../src/dicomweb/test-harness.ts';
import { fhirStudyRecords } from '../src/records/index.ts';
import { createImagingService } from '../src/service/index.ts';
import type { DicomJson } from '../src/service/port.ts';
import { institutionCaller, memoryAudit } from '../src/service/test-support.ts';
import { createImageStore, type ManagedImageStore } from '../src/storage/index.ts';

const BASE = 'http://pacs.test/dicomweb';
const BOUNDARY = 'pydicom-roundtrip-boundary';
const STATUS_CODE: Readonly<Record<number, string>> = { 49152: 'invalid', 290: 'unsupported' };

interface CorpusFile {
  readonly name: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The UIDs the parser finds (undefined for the files it refuses). */
  readonly uids?: { readonly study: string; readonly series: string; readonly sop: string };
}

interface Pacs extends AsyncDisposable {
  readonly app: Hono;
  readonly images: ManagedImageStore;
}

/** The composition the server makes, in process: routes → service → index + two-tier encrypted store. */
async function openPacs(): Promise<Pacs> {
  const store: Store & AsyncDisposable = await createTestStore({ registryPollMs: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'yiyun-pydicom-'));
  const sql = store.database.sql;
  const images = await createImageStore({
    sql,
    hot: new FsBlobStore({ name: 'hot', root: join(dir, 'hot') }),
    cold: [new FsBlobStore({ name: 'cold', root: join(dir, 'cold') })],
    replicas: 2,
    cipher: createObjectCipher({
      suite: 'aes-256-gcm',
      keyRing: createKeyRing({ id: 'k1', key: randomBytes(32) }),
    }),
  });
  const service = await createImagingService({
    sql,
    images,
    records: fhirStudyRecords({ repo: store.repository(), registry: store.registry }),
    audit: memoryAudit(),
  });
  const routes = dicomwebRoutes({
    service,
    caller: () => institutionCaller('h1'),
    parse: (b) => parsePart10(b),
    baseUrl: BASE,
    maxUploadBytes: 64 * 1024 * 1024,
    logger: { error: () => {}, warn: () => {} },
  });
  const app = new Hono().route('/dicomweb', routes);
  return {
    app,
    images,
    async [Symbol.asyncDispose]() {
      await images.idle();
      await store[Symbol.asyncDispose]();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function loadCorpus(): Promise<CorpusFile[]> {
  const files: CorpusFile[] = [];
  for (const name of pydicomCorpus()) {
    const bytes = await pydicomFile(name);
    try {
      const p = parsePart10(bytes);
      files.push({ name, bytes, uids: { study: p.studyUid, series: p.seriesUid, sop: p.sopInstanceUid } });
    } catch {
      files.push({ name, bytes });
    }
  }
  return files;
}

/** Greedy partition into groups with unique SOP Instance UIDs; refused files join the first group. */
function partition(files: readonly CorpusFile[]): CorpusFile[][] {
  const groups: { files: CorpusFile[]; sops: Set<string> }[] = [];
  for (const file of files) {
    const sop = file.uids?.sop;
    let group = groups.find((g) => sop === undefined || !g.sops.has(sop));
    if (!group) {
      group = { files: [], sops: new Set() };
      groups.push(group);
    }
    group.files.push(file);
    if (sop !== undefined) group.sops.add(sop);
  }
  return groups.map((g) => g.files);
}

async function stow(app: Hono, bytes: Uint8Array): Promise<{ status: number; body: DicomJson }> {
  const res = await app.request(`${BASE}/studies`, {
    method: 'POST',
    headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${BOUNDARY}` },
    body: stowBody([bytes], BOUNDARY),
  });
  return { status: res.status, body: (await res.json()) as DicomJson };
}

async function wadoInstance(app: Hono, uids: NonNullable<CorpusFile['uids']>): Promise<Uint8Array[]> {
  const url = `${BASE}/studies/${uids.study}/series/${uids.series}/instances/${uids.sop}`;
  const res = await app.request(url, { headers: { accept: 'multipart/related; type="application/dicom"' } });
  expect(res.status, url).toBe(200);
  const type = parseMediaType(res.headers.get('content-type') ?? '');
  expect(type?.essence).toBe('multipart/related');
  const parts = await readMultipart(chunksOf(res.body!), type!.params.get('boundary')!, {
    maxBytes: 64 * 1024 * 1024,
  });
  return parts.map((p) => p.body);
}

async function qidoInstances(app: Hono, query = ''): Promise<DicomJson[]> {
  const res = await app.request(`${BASE}/instances?limit=1000${query}`, {
    headers: { accept: 'application/dicom+json' },
  });
  if (res.status === 204) return [];
  expect(res.status).toBe(200);
  return (await res.json()) as DicomJson[];
}

const first = (ds: DicomJson | undefined, tag: string) => ds?.[tag]?.Value?.[0];

/** Stores, retrieves and checks one group; returns the names stored identical and the refusals. */
async function roundTrip(group: readonly CorpusFile[]): Promise<{ identical: string[]; refused: string[] }> {
  await using pacs = await openPacs();
  const identical: string[] = [];
  const refused: string[] = [];
  for (const file of group) {
    const { status, body } = await stow(pacs.app, file.bytes);
    if (!file.uids) {
      expect(status, file.name).toBe(409);
      const failed = body['00081198']?.Value?.[0] as DicomJson | undefined;
      const reasonCode = first(failed, '00081197') as number;
      const comment = first(first(failed, '00741048') as DicomJson, '00000902');
      expect(`${STATUS_CODE[reasonCode]}: ${comment}`, file.name).toMatch(
        EXPECTED_REFUSALS[file.name] ?? /^$/,
      );
      expect(body['00081199'], file.name).toBeUndefined();
      const sop = first(failed, '00081155');
      if (typeof sop === 'string')
        expect(await qidoInstances(pacs.app, `&SOPInstanceUID=${sop}`)).toEqual([]);
      refused.push(file.name);
      continue;
    }
    expect([200, 202], `${file.name}: ${JSON.stringify(body['00081198'])}`).toContain(status);
    const [part, ...rest] = await wadoInstance(pacs.app, file.uids);
    expect(rest, file.name).toEqual([]);
    if (part && Buffer.from(part).equals(Buffer.from(file.bytes))) identical.push(file.name);
  }
  // Nothing of the refused files was indexed or written: exactly the accepted ones are there.
  const found = (await qidoInstances(pacs.app)).map((d) => first(d, '00080018')).sort();
  expect(found).toEqual(group.flatMap((f) => (f.uids ? [f.uids.sop] : [])).sort());
  expect((await pacs.images.health()).objects).toBe(identical.length);
  return { identical, refused };
}

describe('pydicom corpus through STOW-RS and WADO-RS', () => {
  it(`stores ${PYDICOM_ACCEPTED} files and retrieves them byte-identical; refuses the reviewed rest`, async () => {
    const corpus = await loadCorpus();
    expect(corpus).toHaveLength(165);
    const groups = partition(corpus);
    // MR_small.dcm is there in 8 transfer syntaxes with one SOP Instance UID: 8 stores.
    expect(groups).toHaveLength(8);
    const identical: string[] = [];
    const refused: string[] = [];
    for (const group of groups) {
      const outcome = await roundTrip(group);
      identical.push(...outcome.identical);
      refused.push(...outcome.refused);
    }
    // Issue #6 asks for ≥ 150; the corpus allows 140 (docs/dicom-conformance.md, "The pydicom test corpus").
    expect(identical).toHaveLength(PYDICOM_ACCEPTED);
    expect(refused.sort()).toEqual(Object.keys(EXPECTED_REFUSALS).sort());
  }, 300_000);
});
