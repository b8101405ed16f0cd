import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { startS3Server } from '../../test/s3-server.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { openBlobStore } from './open-blob-store.ts';
import { BlobNotFoundError, type BlobStore, BlobUnavailableError } from './port.ts';
import { S3BlobStore } from './s3-blob-store.ts';

/** A store under test plus a way to make its backend fail and come back. */
interface Fixture extends AsyncDisposable {
  readonly store: BlobStore;
  /** Makes the backend unavailable (root removed / server stopped). */
  breakBackend(): Promise<void>;
  repairBackend(): Promise<void>;
}

async function fsFixture(): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'yiyun-blob-'));
  const root = join(dir, 'root');
  const store = new FsBlobStore({ name: 'hot', root });
  return {
    store,
    breakBackend: () => rename(root, join(dir, 'away')),
    repairBackend: () => rename(join(dir, 'away'), root),
    async [Symbol.asyncDispose]() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function s3Fixture(): Promise<Fixture> {
  const server = await startS3Server();
  const store = openBlobStore(
    `s3://${server.accessKeyId}:${server.secretAccessKey}@${server.bucket}/pacs?endpoint=${server.endpoint}&region=us-east-1&forcePathStyle=true`,
    { name: 'cold' },
  );
  expect(store).toBeInstanceOf(S3BlobStore);
  return {
    store,
    breakBackend: () => server.stop(),
    repairBackend: () => server.restart(),
    async [Symbol.asyncDispose]() {
      await store.close();
      await server[Symbol.asyncDispose]();
    },
  };
}

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of keys) out.push(key);
  return out.sort();
}

const backends: [string, () => Promise<Fixture>][] = [
  ['FsBlobStore', fsFixture],
  ['S3BlobStore', s3Fixture],
];

describe.each(backends)('BlobStore conformance: %s', (_label, open) => {
  it('stores and returns bytes, including an empty object and a 525 KB one', async () => {
    await using f = await open();
    const big = randomBytes(525 * 1024);
    await f.store.put('studies/1.2.3/4.5.6', big);
    await f.store.put('studies/1.2.3/empty', new Uint8Array());
    expect(Buffer.from(await f.store.get('studies/1.2.3/4.5.6')).equals(big)).toBe(true);
    expect((await f.store.get('studies/1.2.3/empty')).length).toBe(0);
  });

  it('returns byte ranges, clamping a range past the end', async () => {
    await using f = await open();
    const body = randomBytes(1000);
    await f.store.put('r/x', body);
    const slice = async (start: number, end: number) => Buffer.from(await f.store.get('r/x', { start, end }));
    expect((await slice(0, 10)).equals(body.subarray(0, 10))).toBe(true);
    expect((await slice(500, 777)).equals(body.subarray(500, 777))).toBe(true);
    expect((await slice(990, 1000)).equals(body.subarray(990))).toBe(true);
    expect((await slice(990, 2000)).equals(body.subarray(990))).toBe(true);
    expect((await slice(1000, 1010)).length).toBe(0);
    expect((await slice(5, 5)).length).toBe(0);
    await expect(f.store.get('r/x', { start: 10, end: 5 })).rejects.toBeInstanceOf(AppError);
    await expect(f.store.get('r/x', { start: -1, end: 5 })).rejects.toBeInstanceOf(AppError);
    await expect(f.store.get('r/missing', { start: 5, end: 5 })).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('answers has, overwrites, and deletes idempotently', async () => {
    await using f = await open();
    expect(await f.store.has('a/b')).toBe(false);
    await f.store.put('a/b', Buffer.from('one'));
    expect(await f.store.has('a/b')).toBe(true);
    await f.store.put('a/b', Buffer.from('two'));
    expect(Buffer.from(await f.store.get('a/b')).toString()).toBe('two');
    await f.store.delete('a/b');
    await f.store.delete('a/b');
    await f.store.delete('never/there');
    expect(await f.store.has('a/b')).toBe(false);
    await f.store.put('a/b', Buffer.from('three'));
    expect(Buffer.from(await f.store.get('a/b')).toString()).toBe('three');
  });

  it('throws BlobNotFoundError naming backend and key', async () => {
    await using f = await open();
    const err = await f.store.get('studies/9/9').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobNotFoundError);
    expect(err).toMatchObject({ backend: f.store.name, key: 'studies/9/9' });
  });

  it('lists keys under a prefix, whole segments or partial', async () => {
    await using f = await open();
    const keys = ['studies/1.2/a', 'studies/1.2/b', 'studies/1.3/c', 'other/x', 'studies/中文 x/~y%z'];
    await Promise.all(keys.map((k) => f.store.put(k, Buffer.from(k))));
    expect(await collect(f.store.list())).toEqual([...keys].sort());
    expect(await collect(f.store.list('studies/1.2/'))).toEqual(['studies/1.2/a', 'studies/1.2/b']);
    expect(await collect(f.store.list('studies/1.'))).toEqual([
      'studies/1.2/a',
      'studies/1.2/b',
      'studies/1.3/c',
    ]);
    expect(await collect(f.store.list('studies/中文'))).toEqual(['studies/中文 x/~y%z']);
    expect(await collect(f.store.list('nope/'))).toEqual([]);
    expect(Buffer.from(await f.store.get('studies/中文 x/~y%z')).toString()).toBe('studies/中文 x/~y%z');
  });

  it('lists more keys than one S3 page (1000)', async () => {
    await using f = await open();
    const keys = Array.from({ length: 1105 }, (_, i) => `many/${i}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => f.store.put(k, Buffer.from('x'))));
    }
    expect((await collect(f.store.list('many/'))).length).toBe(1105);
  });

  it('rejects unsafe keys with AppError(invalid)', async () => {
    await using f = await open();
    for (const key of ['', '../x', 'a/../b', '/abs', 'a//b', 'a/', 'a\0b', './a']) {
      const err = await f.store.put(key, Buffer.from('x')).catch((e: unknown) => e);
      expect(err, key).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid');
    }
  });

  it('keeps concurrent puts intact', async () => {
    await using f = await open();
    const bodies = Array.from({ length: 40 }, () => randomBytes(64 * 1024));
    await Promise.all(bodies.map((b, i) => f.store.put(`c/1/${i}`, b)));
    const read = await Promise.all(bodies.map((_, i) => f.store.get(`c/1/${i}`)));
    read.forEach((r, i) => {
      expect(Buffer.from(r).equals(bodies[i]!)).toBe(true);
    });
  });

  it('reports BlobUnavailableError quickly when the backend is gone, and recovers', async () => {
    await using f = await open();
    await f.store.put('keep/1', Buffer.from('kept'));
    expect(await f.store.check()).toEqual({ name: f.store.name, ok: true });
    await f.breakBackend();
    const started = Date.now();
    await expect(f.store.get('keep/1')).rejects.toBeInstanceOf(BlobUnavailableError);
    await expect(f.store.get('keep/never')).rejects.toBeInstanceOf(BlobUnavailableError);
    await expect(f.store.put('keep/2', Buffer.from('x'))).rejects.toBeInstanceOf(BlobUnavailableError);
    await expect(f.store.has('keep/1')).rejects.toBeInstanceOf(BlobUnavailableError);
    await expect(f.store.delete('keep/1')).rejects.toBeInstanceOf(BlobUnavailableError);
    await expect(collect(f.store.list('keep/'))).rejects.toBeInstanceOf(BlobUnavailableError);
    const health = await f.store.check();
    expect(health.ok).toBe(false);
    expect(health.detail).toBeTruthy();
    expect(Date.now() - started).toBeLessThan(15_000);
    await f.repairBackend();
    expect(await f.store.check()).toEqual({ name: f.store.name, ok: true });
    expect(Buffer.from(await f.store.get('keep/1')).toString()).toBe('kept');
    await f.store.put('keep/2', Buffer.from('y'));
    expect(await collect(f.store.list('keep/'))).toEqual(['keep/1', 'keep/2']);
  });
});

describe('FsBlobStore specifics', () => {
  it('is unavailable when its root path is a file', async () => {
    await using f = await fsFixture();
    const file = join((f.store as FsBlobStore).root, '..', 'plain-file');
    await writeFile(file, 'not a directory');
    const store = new FsBlobStore({ name: 'hot', root: file });
    await expect(store.put('a/b', Buffer.from('x'))).rejects.toBeInstanceOf(BlobUnavailableError);
    await expect(store.get('a/b')).rejects.toBeInstanceOf(BlobUnavailableError);
    await expect(store.has('a/b')).rejects.toBeInstanceOf(BlobUnavailableError);
    expect((await store.check()).ok).toBe(false);
  });

  it('does not recreate a removed root on put (the disk is gone, not empty)', async () => {
    await using f = await fsFixture();
    const store = f.store as FsBlobStore;
    await store.put('s/1', Buffer.from('x'));
    await rm(store.root, { recursive: true });
    await expect(store.put('s/2', Buffer.from('y'))).rejects.toBeInstanceOf(BlobUnavailableError);
    await expect(readdir(store.root)).rejects.toThrow();
  });

  it('leaves no temp files and prunes emptied directories', async () => {
    await using f = await fsFixture();
    const store = f.store as FsBlobStore;
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.put(`studies/1.2/${i}`, randomBytes(1000))));
    expect((await readdir(join(store.root, 'studies', '1.2'))).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i)).sort(),
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.delete(`studies/1.2/${i}`)));
    expect(await readdir(store.root)).toEqual(['~yiyun-blob-root']);
    await store.put('studies/1.2/again', Buffer.from('z'));
    expect(await store.has('studies/1.2/again')).toBe(true);
  });

  it('reports a key that collides with another key’s directory as a conflict', async () => {
    await using f = await fsFixture();
    await f.store.put('a/b', Buffer.from('x'));
    const err = await f.store.put('a', Buffer.from('y')).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('conflict');
    await expect(f.store.get('a')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(f.store.get('a/b/c')).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});
