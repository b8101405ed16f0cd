import { createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { chunkAad, DEFAULT_CHUNK_SIZE, encodeHeader, HEADER_SIZE, TAG_SIZE } from './format.ts';
import { createKeyRing, type KeyRing } from './key-ring.ts';
import { unwrapDataKey } from './key-wrap.ts';
import { createObjectCipher, storedRangeFor } from './object-cipher.ts';
import { IntegrityError, type ObjectCipher, type WrappedKey } from './port.ts';

type Suite = 'aes-256-gcm' | 'sm4-ctr-hmac-sm3';
const SUITES: Suite[] = ['aes-256-gcm', 'sm4-ctr-hmac-sm3'];

function ring(id = 'k1', retired: KeyRing[] = []): KeyRing {
  return createKeyRing(
    { id, key: randomBytes(32) },
    retired.map((r) => r.current),
  );
}

function sizesFor(chunk: number): number[] {
  return [0, 1, chunk - 1, chunk, chunk + 1, Math.floor(3.5 * chunk)];
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

describe.each(SUITES)('ObjectCipher %s', (suite) => {
  it.each([DEFAULT_CHUNK_SIZE, 32])('round-trips every edge size (chunk %i)', async (chunkSize) => {
    const cipher = createObjectCipher({ suite, keyRing: ring(), chunkSize });
    for (const size of sizesFor(chunkSize)) {
      const plain = randomBytes(size);
      const { stored, key } = await cipher.seal(plain);
      const chunks = Math.max(1, Math.ceil(size / chunkSize));
      expect(stored.length, `size ${size}`).toBe(HEADER_SIZE + size + chunks * TAG_SIZE);
      expect(key).toMatchObject({ suite, masterKeyId: 'k1' });
      if (size >= 16)
        expect(
          Buffer.from(stored.subarray(HEADER_SIZE, HEADER_SIZE + 16)).equals(plain.subarray(0, 16)),
        ).toBe(false);
      expect(Buffer.from(await cipher.open(stored, key)).equals(plain), `size ${size}`).toBe(true);
    }
  });

  it('uses a fresh data key for every object', async () => {
    const cipher = createObjectCipher({ suite, keyRing: ring() });
    const plain = randomBytes(1000);
    const a = await cipher.seal(plain);
    const b = await cipher.seal(plain);
    expect(Buffer.from(a.stored).equals(b.stored)).toBe(false);
    expect(Buffer.from(a.key.wrapped).equals(b.key.wrapped)).toBe(false);
  });

  it('decrypts every range [start, end) from only the chunks covering it', async () => {
    const chunkSize = 32;
    const cipher = createObjectCipher({ suite, keyRing: ring(), chunkSize });
    for (const size of [0, 1, 31, 32, 33, 112]) {
      const plain = randomBytes(size);
      const { stored, key } = await cipher.seal(plain);
      // Every pair of boundary points: chunk edges ±1 and the object's ends.
      const points = [...new Set([0, 1, 31, 32, 33, 63, 64, 65, 95, 96, 97, size - 1, size])].filter(
        (p) => p >= 0 && p <= size,
      );
      for (const start of points) {
        for (const end of points.filter((p) => p >= start)) {
          const range = cipher.storedRange({ start, end }, size);
          const out = await cipher.openRange(
            stored.subarray(range.start, range.end),
            key,
            { start, end },
            size,
          );
          expect(Buffer.from(out).equals(plain.subarray(start, end)), `${size}: [${start}, ${end})`).toBe(
            true,
          );
        }
      }
    }
    // [40, 50) lies in chunk 1 alone: exactly its ciphertext and tag are read.
    const chunk1 = HEADER_SIZE + 32 + TAG_SIZE;
    expect(cipher.storedRange({ start: 40, end: 50 }, 112)).toEqual({
      start: chunk1,
      end: chunk1 + 32 + TAG_SIZE,
    });
    expect(cipher.storedRange({ start: 0, end: 112 }, 112)).toEqual({
      start: HEADER_SIZE,
      end: 20 + 112 + 4 * 16,
    });
  });

  it('rejects ranges outside the object', () => {
    const cipher = createObjectCipher({ suite, keyRing: ring() });
    for (const range of [
      { start: 0, end: 11 },
      { start: 5, end: 4 },
      { start: -1, end: 2 },
      { start: 0.5, end: 2 },
    ]) {
      expect(() => cipher.storedRange(range, 10)).toThrow(AppError);
    }
  });

  it('detects a change to any stored byte, in whole and ranged reads', async () => {
    const chunkSize = 32;
    const cipher = createObjectCipher({ suite, keyRing: ring(), chunkSize });
    const plain = randomBytes(112);
    const { stored, key } = await cipher.seal(plain);
    for (let at = 0; at < stored.length; at++) {
      expect(await rejection(cipher.open(flip(stored, at), key)), `byte ${at}`).toBeInstanceOf(
        IntegrityError,
      );
    }
    const range = cipher.storedRange({ start: 40, end: 100 }, 112);
    const slice = stored.subarray(range.start, range.end);
    for (let at = 0; at < slice.length; at++) {
      const err = await rejection(cipher.openRange(flip(slice, at), key, { start: 40, end: 100 }, 112));
      expect(err, `slice byte ${at}`).toBeInstanceOf(IntegrityError);
    }
  });

  it('detects reordered, spliced, truncated and extended chunks', async () => {
    const cs = 32;
    const cipher = createObjectCipher({ suite, keyRing: ring(), chunkSize: cs });
    const plain = randomBytes(4 * cs);
    const { stored, key } = await cipher.seal(plain);
    const chunk = (s: Uint8Array, i: number) =>
      s.subarray(HEADER_SIZE + i * (cs + 16), HEADER_SIZE + (i + 1) * (cs + 16));
    const header = stored.subarray(0, HEADER_SIZE);
    const swapped = Buffer.concat([
      header,
      chunk(stored, 1),
      chunk(stored, 0),
      chunk(stored, 2),
      chunk(stored, 3),
    ]);
    expect(await rejection(cipher.open(swapped, key))).toBeInstanceOf(IntegrityError);
    // A ranged read handed another chunk's bytes (same key) fails too: the index is authenticated.
    expect(
      await rejection(cipher.openRange(chunk(stored, 2), key, { start: cs, end: 2 * cs }, 4 * cs)),
    ).toBeInstanceOf(IntegrityError);
    // A chunk from another object (another data key) at the same index.
    const other = await cipher.seal(randomBytes(4 * cs));
    const spliced = Buffer.concat([
      header,
      chunk(stored, 0),
      chunk(other.stored, 1),
      chunk(stored, 2),
      chunk(stored, 3),
    ]);
    expect(await rejection(cipher.open(spliced, key))).toBeInstanceOf(IntegrityError);
    // Dropping whole chunks, with or without a header rewritten to the shorter length.
    expect(await rejection(cipher.open(stored.subarray(0, HEADER_SIZE + 2 * (cs + 16)), key))).toBeInstanceOf(
      IntegrityError,
    );
    const shortHeader = encodeHeader({ suite, chunkSize: cs, plainLength: 2 * cs });
    const truncated = Buffer.concat([shortHeader, chunk(stored, 0), chunk(stored, 1)]);
    expect(await rejection(cipher.open(truncated, key))).toBeInstanceOf(IntegrityError);
    // A placement record claiming the object is two chunks long: chunk 1 was not sealed as the last.
    const range = cipher.storedRange({ start: 0, end: 2 * cs }, 2 * cs);
    const sliceOf2 = stored.subarray(range.start, range.end);
    expect(
      await rejection(cipher.openRange(sliceOf2, key, { start: 0, end: 2 * cs }, 2 * cs)),
    ).toBeInstanceOf(IntegrityError);
    expect(await rejection(cipher.open(Buffer.concat([stored, Buffer.alloc(1)]), key))).toBeInstanceOf(
      IntegrityError,
    );
    expect(await rejection(cipher.open(stored.subarray(0, 10), key))).toBeInstanceOf(IntegrityError);
  });

  it('rejects a wrong master key or a tampered key record', async () => {
    const keyRing = ring('k1');
    const cipher = createObjectCipher({ suite, keyRing });
    const { stored, key } = await cipher.seal(randomBytes(500));
    const impostor = createObjectCipher({ suite, keyRing: ring('k1') });
    expect(await rejection(impostor.open(stored, key))).toBeInstanceOf(IntegrityError);
    for (let at = 0; at < key.wrapped.length; at++) {
      const bad: WrappedKey = { ...key, wrapped: flip(key.wrapped, at) };
      expect(await rejection(cipher.open(stored, bad)), `wrapped byte ${at}`).toBeInstanceOf(IntegrityError);
    }
    const otherSuite: Suite = suite === 'aes-256-gcm' ? 'sm4-ctr-hmac-sm3' : 'aes-256-gcm';
    expect(await rejection(cipher.open(stored, { ...key, suite: otherSuite }))).toBeInstanceOf(
      IntegrityError,
    );
    // Moving the record to another key id in the ring fails: the id is authenticated.
    const both = createKeyRing({ id: 'k2', key: randomBytes(32) }, [keyRing.current]);
    const withBoth = createObjectCipher({ suite, keyRing: both });
    const moved: WrappedKey = { ...key, masterKeyId: 'k2' };
    expect(await rejection(withBoth.open(stored, moved))).toBeInstanceOf(IntegrityError);
    // A key id missing from the ring is a configuration error, not corruption.
    const missing = await rejection(impostor.open(stored, { ...key, masterKeyId: 'gone' }));
    expect(missing).toBeInstanceOf(AppError);
    expect((missing as AppError).code).toBe('internal');
  });

  it('rotates master keys by re-wrapping, without touching stored bytes', async () => {
    const old = ring('2024');
    const before = createObjectCipher({ suite, keyRing: old });
    const plain = randomBytes(100_000);
    const { stored, key } = await before.seal(plain);
    const rotated = ring('2025', [old]);
    const during = createObjectCipher({ suite, keyRing: rotated });
    expect(during.currentMasterKey).toBe('2025');
    expect(Buffer.from(await during.open(stored, key)).equals(plain)).toBe(true);
    const rewrapped = await during.rewrap(key);
    expect(rewrapped).toMatchObject({ suite, masterKeyId: '2025' });
    expect(Buffer.from(rewrapped.wrapped).equals(key.wrapped)).toBe(false);
    expect(await during.rewrap(rewrapped)).toBe(rewrapped);
    // The old master key retired: only re-wrapped keys still open.
    const after = createObjectCipher({ suite, keyRing: createKeyRing(rotated.current) });
    expect(Buffer.from(await after.open(stored, rewrapped)).equals(plain)).toBe(true);
    const range = after.storedRange({ start: 70_000, end: 70_010 }, plain.length);
    const slice = stored.subarray(range.start, range.end);
    const part = await after.openRange(slice, rewrapped, { start: 70_000, end: 70_010 }, plain.length);
    expect(Buffer.from(part).equals(plain.subarray(70_000, 70_010))).toBe(true);
    expect(await rejection(after.open(stored, key))).toBeInstanceOf(AppError);
  });
});

describe('suite specifics', () => {
  it('SM suite is SM4-CTR with HMAC-SM3 under HKDF-SM3 subkeys', async () => {
    const keyRing = ring();
    const cipher = createObjectCipher({ suite: 'sm4-ctr-hmac-sm3', keyRing, chunkSize: 64 });
    const plain = randomBytes(100);
    const { stored, key } = await cipher.seal(plain);
    const { dataKey } = unwrapDataKey({ ...key, suite: 'sm4-ctr-hmac-sm3', masterKey: keyRing.current.key });
    const keys = Buffer.from(
      hkdfSync('sm3', dataKey, Buffer.alloc(0), 'yiyun/v1 sm4-ctr enc 16 | hmac-sm3 mac 32', 48),
    );
    const encKey = keys.subarray(0, 16);
    const macKey = keys.subarray(16);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(1n, 0);
    const c1 = stored.subarray(HEADER_SIZE + 64 + 16, HEADER_SIZE + 64 + 16 + 36);
    expect(createDecipheriv('sm4-ctr', encKey, iv).update(c1).equals(plain.subarray(64))).toBe(true);
    const header = Buffer.from(stored.subarray(0, HEADER_SIZE));
    const tag = createHmac('sm3', macKey)
      .update(chunkAad(header, 1, true))
      .update(c1)
      .digest()
      .subarray(0, 16);
    expect(tag.equals(stored.subarray(stored.length - 16))).toBe(true);
  });

  it('AES suite is AES-256-GCM with the chunk index as nonce and header ‖ index ‖ flag as AAD', async () => {
    const keyRing = ring();
    const cipher = createObjectCipher({ suite: 'aes-256-gcm', keyRing, chunkSize: 64 });
    const plain = randomBytes(100);
    const { stored, key } = await cipher.seal(plain);
    const { dataKey } = unwrapDataKey({ ...key, suite: 'aes-256-gcm', masterKey: keyRing.current.key });
    const nonce = Buffer.alloc(12);
    nonce.writeBigUInt64BE(0n, 4);
    const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce);
    decipher.setAAD(chunkAad(Buffer.from(stored.subarray(0, HEADER_SIZE)), 0, false));
    decipher.setAuthTag(stored.subarray(HEADER_SIZE + 64, HEADER_SIZE + 80));
    const out = decipher.update(stored.subarray(HEADER_SIZE, HEADER_SIZE + 64));
    decipher.final();
    expect(out.equals(plain.subarray(0, 64))).toBe(true);
  });

  it('suite none stores plain bytes', async () => {
    const cipher: ObjectCipher = createObjectCipher({ suite: 'none' });
    const plain = randomBytes(50);
    const { stored, key } = await cipher.seal(plain);
    expect(stored).toBe(plain);
    expect(key).toEqual({ suite: 'none', masterKeyId: '', wrapped: new Uint8Array() });
    expect(cipher.storedRange({ start: 3, end: 9 }, 50)).toEqual({ start: 3, end: 9 });
    expect(Buffer.from(await cipher.openRange(stored.subarray(3, 9), key, { start: 3, end: 9 }, 50))).toEqual(
      plain.subarray(3, 9),
    );
    expect(await cipher.rewrap(key)).toBe(key);
  });

  it('opens objects sealed under another suite or chunk size after reconfiguration', async () => {
    const keyRing = ring();
    const aes = createObjectCipher({ suite: 'aes-256-gcm', keyRing, chunkSize: 32 });
    const plain = randomBytes(200);
    const { stored, key } = await aes.seal(plain);
    const sm = createObjectCipher({ suite: 'sm4-ctr-hmac-sm3', keyRing, chunkSize: 64 });
    expect(Buffer.from(await sm.open(stored, key)).equals(plain)).toBe(true);
    const want = { start: 50, end: 130 };
    const right = storedRangeFor(key, want, 200);
    const part = await sm.openRange(stored.subarray(right.start, right.end), key, want, 200);
    expect(Buffer.from(part).equals(plain.subarray(50, 130))).toBe(true);
    const wrong = sm.storedRange(want, 200);
    const err = await rejection(sm.openRange(stored.subarray(wrong.start, wrong.end), key, want, 200));
    expect((err as AppError).code).toBe('internal');
  });

  it('validates its options', () => {
    expect(() => createObjectCipher({ suite: 'aes-256-gcm' })).toThrow(AppError);
    expect(() => createObjectCipher({ suite: 'none', chunkSize: 0 })).toThrow(AppError);
    expect(() => createObjectCipher({ suite: 'rot13' as 'none' })).toThrow(AppError);
  });
});
