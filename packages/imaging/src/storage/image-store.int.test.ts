import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createTestStore } from '@yiyun/store/testing';
import { describe, expect, it } from 'vitest';
import type { ByteRange } from '../blob/port.ts';
import { createKeyRing, createObjectCipher } from '../crypto/index.ts';
import type { CipherSuite, ObjectCipher } from '../crypto/port.ts';
import { createImageStore } from './image-store.ts';
import { openStorageFixture, testBytes } from './test-fixture.ts';

function makeCipher(
  suite: CipherSuite,
  ring = createKeyRing({ id: 'k1', key: randomBytes(32) }),
): ObjectCipher {
  return createObjectCipher({ suite, keyRing: ring });
}

const DAY = 24 * 60 * 60 * 1000;

describe.each(['aes-256-gcm', 'sm4-ctr-hmac-sm3'] as const)('image store (%s)', (suite) => {
  it('round-trips objects through hot disk and S3, encrypted at rest, with ranged reads', async () => {
    await using store = await createTestStore();
    await using f = await openStorageFixture({ sql: store.database.sql, cipher: makeCipher(suite) });
    const sizes = [0, 1, 1000, 65_536, 200_003];
    for (const [i, size] of sizes.entries()) {
      const receipt = await f.images.write(`studies/s1/obj-${i}`, testBytes(size, i), { study: 's1' });
      expect(receipt).toEqual({ copies: ['hot', 'cold'], underReplicated: false });
    }
    for (const [i, size] of sizes.entries()) {
      const body = testBytes(size, i);
      expect(Buffer.from(await f.images.read(`studies/s1/obj-${i}`)).equals(body)).toBe(true);
      const hotBytes = await readFile(await f.hotPathOf(`studies/s1/obj-${i}`));
      const coldBytes = await f.cold.get(await f.blobKeyOf(`studies/s1/obj-${i}`));
      expect(Buffer.from(coldBytes).equals(hotBytes)).toBe(true); // sealed once, same bytes everywhere
      // 64 plaintext bytes never appear in ciphertext by chance (one byte would, about one run in five).
      if (size >= 64 && suite !== ('none' as string))
        expect(hotBytes.includes(Buffer.from(body.subarray(0, 64)))).toBe(false);
    }
    const big = testBytes(200_003, 4);
    const ranges: ByteRange[] = [
      { start: 0, end: 1 },
      { start: 65_535, end: 65_537 },
      { start: 1000, end: 150_000 },
      { start: 199_000, end: 200_003 },
      { start: 7, end: 7 },
      { start: 190_000, end: 999_999 }, // clamped to the end, like an HTTP range
    ];
    for (const r of ranges) {
      const got = await f.images.read('studies/s1/obj-4', r);
      expect(Buffer.from(got).equals(big.subarray(r.start, Math.min(r.end, big.length)))).toBe(true);
    }
    await expect(f.images.read('studies/s1/obj-4', { start: 5, end: 2 })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(f.images.read('studies/s1/nope')).rejects.toMatchObject({ code: 'not-found' });
    const health = await f.images.health();
    expect(health).toMatchObject({
      status: 'ok',
      objects: 5,
      underReplicated: 0,
      replicas: 2,
      cipher: suite,
    });
  });

  it('rotates the master key by re-wrapping data keys, without touching the stored images', async () => {
    await using store = await createTestStore();
    const sql = store.database.sql;
    const k1 = { id: 'k1', key: randomBytes(32) };
    const k2 = { id: 'k2', key: randomBytes(32) };
    await using f = await openStorageFixture({ sql, cipher: makeCipher(suite, createKeyRing(k1)) });
    for (let i = 0; i < 7; i++) await f.images.write(`studies/r/${i}`, testBytes(70_000, i), { study: 'r' });
    const before = await readFile(await f.hotPathOf('studies/r/3'));
    const rotating = await createImageStore({
      sql,
      hot: f.hot,
      cold: [f.cold],
      cipher: makeCipher(suite, createKeyRing(k2, [k1])),
    });
    expect(await rotating.rotateKeys()).toEqual({ rewrapped: 7, failed: 0, masterKey: 'k2' });
    expect(await rotating.rotateKeys()).toEqual({ rewrapped: 0, failed: 0, masterKey: 'k2' });
    expect(Buffer.from(await readFile(await f.hotPathOf('studies/r/3'))).equals(before)).toBe(true);
    // The old master key can go: a store that knows only k2 reads everything, whole and ranged.
    const after = await createImageStore({
      sql,
      hot: f.hot,
      cold: [f.cold],
      cipher: makeCipher(suite, createKeyRing(k2)),
    });
    for (let i = 0; i < 7; i++) {
      expect(Buffer.from(await after.read(`studies/r/${i}`)).equals(testBytes(70_000, i))).toBe(true);
    }
    const slice = await after.read('studies/r/3', { start: 65_000, end: 66_000 });
    expect(Buffer.from(slice).equals(testBytes(70_000, 3).subarray(65_000, 66_000))).toBe(true);
  });
});

describe('image store', () => {
  it('an overwrite replaces the object and deletes the old copies after the new ones exist; remove deletes all', async () => {
    await using store = await createTestStore();
    await using f = await openStorageFixture({ sql: store.database.sql, cipher: makeCipher('aes-256-gcm') });
    await f.images.write('studies/s1/a', testBytes(5000, 1), { study: 's1' });
    const first = await f.blobKeyOf('studies/s1/a');
    await f.images.write('studies/s1/a', testBytes(7000, 2), { study: 's1' });
    await f.images.idle();
    expect(Buffer.from(await f.images.read('studies/s1/a')).equals(testBytes(7000, 2))).toBe(true);
    expect(await f.blobKeyOf('studies/s1/a')).not.toBe(first);
    expect(await f.hot.has(first)).toBe(false);
    expect(await f.cold.has(first)).toBe(false);
    const rows = await store.database.sql`select replaced_blob_key from image_object`;
    expect(rows).toEqual([{ replaced_blob_key: null }]);
    // Removal deletes the row and every copy; it is idempotent.
    const second = await f.blobKeyOf('studies/s1/a');
    await f.images.remove('studies/s1/a');
    await f.images.remove('studies/s1/a');
    await expect(f.images.read('studies/s1/a')).rejects.toMatchObject({ code: 'not-found' });
    expect(await f.hot.has(second)).toBe(false);
    expect(await f.cold.has(second)).toBe(false);
  });

  it('lifecycle moves idle old studies to cold and evicts hot; a cold read re-caches', async () => {
    await using store = await createTestStore();
    let now = new Date('2025-01-01T00:00:00Z');
    await using f = await openStorageFixture({
      sql: store.database.sql,
      cipher: makeCipher('aes-256-gcm'),
      clock: () => now,
    });
    for (const study of ['old', 'read', 'new']) {
      if (study === 'new') now = new Date(now.getTime() + 35 * DAY);
      for (let i = 0; i < 3; i++)
        await f.images.write(`studies/${study}/${i}`, testBytes(3000, i), { study });
    }
    now = new Date(now.getTime() + 1 * DAY);
    await f.images.read('studies/read/1'); // accessed a day ago: not idle
    await f.images.idle();
    now = new Date(now.getTime() + 1 * DAY);
    const report = await f.images.lifecycle({ olderThanDays: 30, idleDays: 7 });
    expect(report).toEqual({ studies: 1, moved: 3, skipped: 0 });
    for (let i = 0; i < 3; i++) {
      expect(await f.copiesOf(`studies/old/${i}`)).toEqual(['cold']);
      expect(await f.hot.has(await f.blobKeyOf(`studies/old/${i}`))).toBe(false);
      expect(await f.copiesOf(`studies/read/${i}`)).toEqual(['cold', 'hot']);
    }
    expect(await f.images.lifecycle({ olderThanDays: 30, idleDays: 7 })).toEqual({
      studies: 0,
      moved: 0,
      skipped: 0,
    });
    expect((await f.images.health()).status).toBe('ok'); // evicted objects count cold copies only
    // Served from cold, and re-cached to hot in the background.
    expect(Buffer.from(await f.images.read('studies/old/2')).equals(testBytes(3000, 2))).toBe(true);
    await f.images.idle();
    expect(await f.copiesOf('studies/old/2')).toEqual(['cold', 'hot']);
    expect(await f.hot.has(await f.blobKeyOf('studies/old/2'))).toBe(true);
    const rows = await store.database.sql<{ tier: string; last_access_at: Date }[]>`
      select tier, last_access_at from image_object where key = 'studies/old/2'`;
    expect(rows[0]?.tier).toBe('hot');
    expect(rows[0]?.last_access_at.getTime()).toBe(now.getTime());
  });

  it('when the hot disk fails, reads come from cold and writes go there; scrub restores the hot copies', async () => {
    await using store = await createTestStore();
    await using f = await openStorageFixture({ sql: store.database.sql, cipher: makeCipher('aes-256-gcm') });
    await f.images.write('studies/s/a', testBytes(4000, 1), { study: 's' });
    await rename(f.hot.root, `${f.hot.root}-gone`); // the disk is unmounted
    expect(Buffer.from(await f.images.read('studies/s/a')).equals(testBytes(4000, 1))).toBe(true);
    const receipt = await f.images.write('studies/s/b', testBytes(4000, 2), { study: 's' });
    expect(receipt).toEqual({ copies: ['cold'], underReplicated: true });
    const health = await f.images.health();
    expect(health.status).toBe('degraded');
    expect(health.backends.find((b) => b.name === 'hot')?.ok).toBe(false);
    expect(health.underReplicated).toBe(1);
    await rename(`${f.hot.root}-gone`, f.hot.root);
    await new Promise((r) => setTimeout(r, 350)); // the breaker's cool-down
    const report = await f.images.scrub();
    expect(report).toMatchObject({ checked: 2, replicated: 1, underReplicated: 0, unrecoverable: 0 });
    expect(await f.copiesOf('studies/s/b')).toEqual(['cold', 'hot']);
    expect((await f.images.health()).status).toBe('ok');
  });

  it('a corrupt hot copy is skipped on read and repaired', async () => {
    await using store = await createTestStore();
    await using f = await openStorageFixture({ sql: store.database.sql, cipher: makeCipher('aes-256-gcm') });
    await f.images.write('studies/s/a', testBytes(9000, 3), { study: 's' });
    const path = await f.hotPathOf('studies/s/a');
    const bytes = await readFile(path);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(path, bytes);
    expect(Buffer.from(await f.images.read('studies/s/a')).equals(testBytes(9000, 3))).toBe(true);
    await f.images.idle();
    expect(await f.copiesOf('studies/s/a')).toEqual(['cold', 'hot']);
    expect((await f.images.scrub()).corrupt).toBe(0); // the read already rewrote it
  });

  it('two replicas running the lifecycle at once move each object once', async () => {
    await using store = await createTestStore();
    const sql = store.database.sql;
    let now = new Date('2025-01-01T00:00:00Z');
    const clock = () => now;
    await using f = await openStorageFixture({ sql, cipher: makeCipher('aes-256-gcm'), clock });
    const other = await createImageStore({
      sql,
      hot: f.hot,
      cold: [f.cold],
      cipher: makeCipher('aes-256-gcm'),
      clock,
    });
    for (let i = 0; i < 24; i++)
      await f.images.write(`studies/st-${i % 4}/${i}`, testBytes(2000, i), { study: `st-${i % 4}` });
    now = new Date(now.getTime() + 60 * DAY);
    const [a, b] = await Promise.all([
      f.images.lifecycle({ olderThanDays: 30, idleDays: 30 }),
      other.lifecycle({ olderThanDays: 30, idleDays: 30 }),
    ]);
    expect(a.moved + b.moved).toBe(24);
    expect(a.skipped + b.skipped).toBe(0);
    const rows = await sql<{ copies: string[]; tier: string }[]>`select copies, tier from image_object`;
    expect(rows.every((r) => r.copies.join() === 'cold' && r.tier === 'cold')).toBe(true);
    for await (const key of f.hot.list()) throw new Error(`hot copy left: ${key}`);
  });

  it('a write nothing can hold fails and leaves no row; health says unavailable', async () => {
    await using store = await createTestStore();
    await using f = await openStorageFixture({ sql: store.database.sql, cipher: makeCipher('aes-256-gcm') });
    await f.images.write('studies/s/a', testBytes(10, 1), { study: 's' }); // creates the hot root
    await rename(f.hot.root, `${f.hot.root}-gone`);
    await f.s3.stop();
    await expect(f.images.write('studies/s/b', testBytes(10, 2), { study: 's' })).rejects.toMatchObject({
      code: 'internal',
      message: 'image storage unavailable',
    });
    const rows = await store.database.sql`select key from image_object`;
    expect(rows.map((r) => r['key'])).toEqual(['studies/s/a']);
    expect((await f.images.health()).status).toBe('unavailable');
    await rename(`${f.hot.root}-gone`, f.hot.root);
    await f.s3.restart();
  });

  it('a ranged read of a corrupt hot chunk is served from cold', async () => {
    await using store = await createTestStore();
    await using f = await openStorageFixture({ sql: store.database.sql, cipher: makeCipher('aes-256-gcm') });
    const body = testBytes(300_000, 9);
    await f.images.write('studies/s/a', body, { study: 's' });
    const path = await f.hotPathOf('studies/s/a');
    const bytes = await readFile(path);
    bytes.fill(0, 150_000, 150_100); // inside the third 64 KiB chunk
    await writeFile(path, bytes);
    const got = await f.images.read('studies/s/a', { start: 140_000, end: 160_000 });
    expect(Buffer.from(got).equals(body.subarray(140_000, 160_000))).toBe(true);
    await f.images.idle();
    expect(Buffer.from(await readFile(path)).equals(await f.cold.get(await f.blobKeyOf('studies/s/a')))).toBe(
      true,
    );
  });
});
