import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@yiyun/store';
import { startS3Server, type TestS3Server } from '../../test/s3-server.ts';
import { FsBlobStore } from '../blob/fs-blob-store.ts';
import { keyToRelativePath } from '../blob/key.ts';
import { S3BlobStore } from '../blob/s3-blob-store.ts';
import type { ObjectCipher } from '../crypto/port.ts';
import { createImageStore, type ImageStoreOptions, type ManagedImageStore } from './image-store.ts';

/**
 * An image store for integration tests: hot tier on a temp directory, cold tier on an S3-protocol
 * server on 127.0.0.1 (`s3rver`, through the real AWS SDK). Removes everything on dispose.
 */
export interface StorageFixture extends AsyncDisposable {
  readonly images: ManagedImageStore;
  readonly hot: FsBlobStore;
  readonly cold: S3BlobStore;
  readonly s3: TestS3Server;
  readonly dir: string;
  /** The stored blob key of an object (from the catalog). */
  blobKeyOf(key: string): Promise<string>;
  /** Where the hot copy of an object is on disk. */
  hotPathOf(key: string): Promise<string>;
  /** The catalog's copies of an object. */
  copiesOf(key: string): Promise<string[]>;
}

export interface FixtureOptions extends Partial<Omit<ImageStoreOptions, 'sql' | 'hot' | 'cold' | 'cipher'>> {
  readonly sql: Database['sql'];
  readonly cipher: ObjectCipher;
}

export async function openStorageFixture(options: FixtureOptions): Promise<StorageFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'yiyun-images-'));
  const s3 = await startS3Server();
  const hot = new FsBlobStore({ name: 'hot', root: join(dir, 'hot') });
  const cold = new S3BlobStore({
    name: 'cold',
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
    prefix: 'pacs/',
  });
  const images = await createImageStore({ breakerCooldownMs: 300, ...options, hot, cold: [cold] });
  const { sql } = options;
  const blobKeyOf = async (key: string): Promise<string> => {
    const rows = await sql<{ blob_key: string }[]>`select blob_key from image_object where key = ${key}`;
    if (rows[0] === undefined) throw new Error(`no catalog row for ${key}`);
    return rows[0].blob_key;
  };
  return {
    images,
    hot,
    cold,
    s3,
    dir,
    blobKeyOf,
    hotPathOf: async (key) => join(hot.root, keyToRelativePath(await blobKeyOf(key))),
    copiesOf: async (key) => {
      const rows = await sql<{ copies: string[] }[]>`select copies from image_object where key = ${key}`;
      return [...(rows[0]?.copies ?? [])].sort();
    },
    async [Symbol.asyncDispose]() {
      await images.idle();
      await cold.close();
      await s3[Symbol.asyncDispose]();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Deterministic pseudo-random bytes (a seeded xorshift), so failures reproduce. */
export function testBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
