/**
 * The store path over the real image store: the catalog row commits with the index rows in one
 * statement, so what the index refuses leaves no row and no copy, and what it stores is readable.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../blob/fs-blob-store.ts';
import { createKeyRing } from '../crypto/key-ring.ts';
import { createObjectCipher } from '../crypto/object-cipher.ts';
import { fhirStudyRecords } from '../records/fhir-study-records.ts';
import { createImageStore, type ManagedImageStore } from '../storage/image-store.ts';
import { createImagingService, type IndexedImagingService } from './imaging-service.ts';
import { type Attributes, institutionCaller, memoryAudit, part10 } from './test-support.ts';

let store: Store & AsyncDisposable;
let dir: string;
let images: ManagedImageStore;
let service: IndexedImagingService;
const H1 = institutionCaller('h1');

beforeAll(async () => {
  store = await createTestStore({ registryPollMs: 0 });
  dir = await mkdtemp(join(tmpdir(), 'yiyun-store-path-'));
  const keyRing = createKeyRing({ id: 'k1', key: Buffer.alloc(32, 7) });
  images = await createImageStore({
    sql: store.database.sql,
    hot: new FsBlobStore({ name: 'hot', root: join(dir, 'hot') }),
    cold: [new FsBlobStore({ name: 'cold', root: join(dir, 'cold') })],
    replicas: 2,
    cipher: createObjectCipher({ suite: 'aes-256-gcm', keyRing }),
  });
  service = await createImagingService({
    sql: store.database.sql,
    images,
    records: fhirStudyRecords({ repo: store.repository(), registry: store.registry }),
    audit: memoryAudit(),
  });
});

afterAll(async () => {
  await images.idle();
  await store[Symbol.asyncDispose]();
  await rm(dir, { recursive: true, force: true });
});

const instance = (sop: string, extra: Attributes = {}) =>
  part10({ StudyInstanceUID: '2.25.50', SeriesInstanceUID: '2.25.50.1', SOPInstanceUID: sop, ...extra });

async function files(root: string): Promise<string[]> {
  const entries = await readdir(join(dir, root), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && !e.name.startsWith('~')).map((e) => e.name);
}

async function catalogRows(): Promise<number> {
  const [row] = await store.database.sql<{ n: string }[]>`select count(*) as n from image_object`;
  return Number(row?.n ?? 0);
}

describe('storeInstance over the image store', () => {
  it('records the object with the instance, in two copies, and reads it back', async () => {
    const bytes = await instance('2.25.50.1.1');
    const result = await service.store(bytes, H1);
    expect(result).toMatchObject({ outcome: 'stored', warnings: [] });
    expect(await catalogRows()).toBe(1);
    expect(await files('hot')).toHaveLength(1);
    expect(await files('cold')).toHaveLength(1);
    const [located] = await service.locate({ study: '2.25.50' }, H1);
    expect(Buffer.compare(Buffer.from(await service.read(located!)), Buffer.from(bytes))).toBe(0);
  });

  it('leaves no catalog row and no copy for what the index refuses', async () => {
    const before = { rows: await catalogRows(), hot: (await files('hot')).length };
    // The series is stored under study 2.25.50: another study may not claim it (found only by the statement).
    const claim = await part10({
      StudyInstanceUID: '2.25.51',
      SeriesInstanceUID: '2.25.50.1',
      SOPInstanceUID: '2.25.51.1.1',
    });
    await expect(service.store(claim, H1)).rejects.toMatchObject({ code: 'conflict' });
    await images.idle(); // the discarded copies are deleted in the background
    expect(await catalogRows()).toBe(before.rows);
    expect(await files('hot')).toHaveLength(before.hot);
    expect(await files('cold')).toHaveLength(before.hot);
  });

  it('replaces an instance sent again with other bytes and removes the old object', async () => {
    const corrected = await instance('2.25.50.1.1', { ImageComments: 'corrected' });
    expect((await service.store(corrected, H1)).outcome).toBe('stored');
    expect((await service.store(corrected, H1)).outcome).toBe('duplicate');
    await images.idle();
    expect(await catalogRows()).toBe(1);
    expect(await files('hot')).toHaveLength(1);
    const [located] = await service.locate({ study: '2.25.50' }, H1);
    expect(Buffer.from(await service.read(located!)).includes(Buffer.from('corrected'))).toBe(true);
  });

  it('stores a dataset that deviates from PS3.10 with Warning Reason B007 and says how', async () => {
    const bytes = await part10(
      { StudyInstanceUID: '2.25.52', SeriesInstanceUID: '2.25.52.1', SOPInstanceUID: '2.25.52.1.1' },
      { MediaStorageSOPInstanceUID: '2.25.52.1.999' },
    );
    const result = await service.store(bytes, H1);
    expect(result.outcome).toBe('stored');
    expect(result.warningReason).toBe(0xb007);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Media Storage SOP Instance UID \(0002,0003\) differs/),
    ]);
    const clean = await service.store(await instance('2.25.50.1.2'), H1);
    expect(clean.warningReason).toBeUndefined();
  });
});
