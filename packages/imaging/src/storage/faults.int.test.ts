import { randomBytes } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { createTestStore } from '@yiyun/store/testing';
import { expect, it } from 'vitest';
import { createKeyRing, createObjectCipher } from '../crypto/index.ts';
import type { ObjectCipher } from '../crypto/port.ts';
import { forEachLimit, sha256 } from './placement.ts';
import type { WriteReceipt } from './port.ts';
import { openStorageFixture, testBytes } from './test-fixture.ts';

function makeCipher(): ObjectCipher {
  return createObjectCipher({
    suite: 'aes-256-gcm',
    keyRing: createKeyRing({ id: 'k1', key: randomBytes(32) }),
  });
}

const OBJECTS = 300;

/**
 * Issue #6 acceptance (fault tests): during a load, hot copies are deleted and corrupted on disk
 * and the S3 server is stopped and restarted. Every acknowledged write must be readable and
 * byte-identical afterwards, writes during the outage are acknowledged under-replicated, and the
 * scrubber restores full replication.
 */
it('no acknowledged image is lost when hot copies break and S3 goes down mid-load', async () => {
  await using store = await createTestStore();
  await using f = await openStorageFixture({ sql: store.database.sql, cipher: makeCipher() });
  const acked = new Map<string, { seed: number; receipt: WriteReceipt }>();
  const duringOutage: string[] = [];
  let s3Down = false;
  let outageHealth: Awaited<ReturnType<typeof f.images.health>> | undefined;
  const deleted: string[] = [];
  const corrupted: string[] = [];

  /** Breaks the hot copy of an object already stored on both tiers (the only copy is not fair game). */
  const breakHot = async (i: number): Promise<void> => {
    const victims = [...acked].filter(
      ([k, a]) => a.receipt.copies.length === 2 && !deleted.includes(k) && !corrupted.includes(k),
    );
    const victim = victims[(i * 7) % victims.length]?.[0];
    if (victim === undefined) return;
    const path = await f.hotPathOf(victim);
    if (i % 2 === 0) {
      await unlink(path);
      deleted.push(victim);
    } else {
      const bytes = await readFile(path);
      bytes.fill(0x5a, 10, 40);
      await writeFile(path, bytes);
      corrupted.push(victim);
    }
  };

  const seeds = Array.from({ length: OBJECTS }, (_, i) => i);
  await forEachLimit(seeds, 8, async (seed) => {
    const key = `studies/st-${seed % 20}/obj-${seed}`;
    const startedDown = s3Down;
    const receipt = await f.images.write(key, testBytes(2000 + ((seed * 37) % 6000), seed), {
      study: `st-${seed % 20}`,
    });
    acked.set(key, { seed, receipt });
    if (startedDown && s3Down) duringOutage.push(key);
    const n = acked.size;
    if (n % 15 === 0) await breakHot(n);
    if (n === 100) {
      s3Down = true;
      await f.s3.stop();
    }
    if (n === 160) outageHealth = await f.images.health();
    if (n === 200) {
      await f.s3.restart();
      s3Down = false;
    }
  });

  expect(acked.size).toBe(OBJECTS);
  expect(duringOutage.length).toBeGreaterThan(50);
  for (const key of duringOutage)
    expect(acked.get(key)?.receipt).toEqual({ copies: ['hot'], underReplicated: true });
  expect(outageHealth?.status).toBe('degraded');
  expect(outageHealth?.backends.find((b) => b.name === 'cold')?.ok).toBe(false);
  expect(outageHealth?.underReplicated).toBeGreaterThan(0);
  const underReplicated = [...acked.values()].filter((a) => a.receipt.underReplicated).length;
  expect(deleted.length + corrupted.length).toBeGreaterThan(10);

  // After the restart, before any repair: every acknowledged write reads back byte-identical
  // (broken hot copies fail over to S3, and the read rewrites them in the background).
  const readAll = () =>
    forEachLimit([...acked], 8, async ([key, { seed }]) => {
      const body = testBytes(2000 + ((seed * 37) % 6000), seed);
      expect(Buffer.from(await f.images.read(key)).equals(body), key).toBe(true);
    });
  await new Promise((r) => setTimeout(r, 350)); // the breaker's cool-down
  await readAll();
  await f.images.idle();
  // The scrubber completes the copies S3 missed during the outage.
  expect(await f.images.scrub()).toMatchObject({
    checked: OBJECTS,
    missing: 0,
    corrupt: 0,
    replicated: underReplicated,
    unrecoverable: 0,
    underReplicated: 0,
  });
  expect(await f.images.health()).toMatchObject({ status: 'ok', objects: OBJECTS, underReplicated: 0 });
  for (const key of acked.keys()) expect(await f.copiesOf(key)).toEqual(['cold', 'hot']);

  // Hot copies broken with no read in between are found and repaired by the scrubber alone.
  deleted.length = 0;
  corrupted.length = 0;
  for (let i = 0; i < 12; i++) await breakHot(i);
  expect(await f.images.scrub()).toMatchObject({
    missing: deleted.length,
    corrupt: corrupted.length,
    repaired: deleted.length + corrupted.length,
    replicated: 0,
    unrecoverable: 0,
    underReplicated: 0,
  });
  expect(await f.images.scrub()).toMatchObject({ checked: OBJECTS, missing: 0, corrupt: 0, repaired: 0 });
  await readAll();

  // A corrupt cold copy is found by the scrubber and repaired from hot.
  const key = [...acked.keys()][42]!;
  const blobKey = await f.blobKeyOf(key);
  const good = await f.cold.get(blobKey);
  const bad = Buffer.from(good);
  bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
  await f.cold.put(blobKey, bad);
  expect(await f.images.scrub()).toMatchObject({
    corrupt: 1,
    repaired: 1,
    unrecoverable: 0,
    underReplicated: 0,
  });
  expect(Buffer.from(sha256(await f.cold.get(blobKey))).equals(Buffer.from(sha256(good)))).toBe(true);
}, 60_000);
