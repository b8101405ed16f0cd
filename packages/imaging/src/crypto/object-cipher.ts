import { randomBytes } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import type { ByteRange } from '../blob/port.ts';
import { chunkCodec, DATA_KEY_SIZE } from './chunk-codec.ts';
import {
  assertChunkSize,
  assertPlainRange,
  chunkAad,
  DEFAULT_CHUNK_SIZE,
  decodeHeader,
  type EncryptedSuite,
  encodeHeader,
  Layout,
  TAG_SIZE,
} from './format.ts';
import { type KeyRing, masterKeyOf } from './key-ring.ts';
import { peekChunkSize, unwrapDataKey, wrapDataKey } from './key-wrap.ts';
import {
  type CipherSuite,
  IntegrityError,
  type ObjectCipher,
  type SealedObject,
  type WrappedKey,
} from './port.ts';

export interface ObjectCipherOptions {
  /** Suite for new objects; objects sealed under any suite stay readable. */
  readonly suite: CipherSuite;
  /** Required unless `suite` is `none` and nothing encrypted is ever read. */
  readonly keyRing?: KeyRing;
  /** Plaintext bytes per chunk (default 64 KiB). Fixed for a deployment: see `storedRange`. */
  readonly chunkSize?: number;
}

const SUITES: readonly CipherSuite[] = ['aes-256-gcm', 'sm4-ctr-hmac-sm3', 'none'];

export function createObjectCipher(options: ObjectCipherOptions): ObjectCipher {
  const { suite, keyRing } = options;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!SUITES.includes(suite)) throw new AppError('invalid', `Unknown cipher suite "${suite}"`);
  assertChunkSize(chunkSize);
  if (suite !== 'none' && keyRing === undefined) {
    throw new AppError('invalid', `Cipher suite ${suite} needs a master key ring`);
  }
  const ring = (): KeyRing => {
    if (keyRing === undefined)
      throw new AppError('internal', 'An encrypted object was read but no key ring is configured');
    return keyRing;
  };
  const unwrap = (key: WrappedKey & { suite: EncryptedSuite }) =>
    unwrapDataKey({
      suite: key.suite,
      masterKey: masterKeyOf(ring(), key.masterKeyId),
      masterKeyId: key.masterKeyId,
      wrapped: key.wrapped,
    });

  return {
    suite,
    currentMasterKey: keyRing?.current.id ?? '',

    async seal(plain) {
      if (suite === 'none')
        return { stored: plain, key: { suite, masterKeyId: '', wrapped: new Uint8Array() } };
      return sealObject(plain, { suite, chunkSize, keyRing: ring() });
    },

    async open(stored, key) {
      if (key.suite === 'none') return stored;
      const { dataKey, chunkSize: keyChunkSize } = unwrap(encrypted(key));
      return openObject(stored, key.suite, dataKey, keyChunkSize);
    },

    storedRange(plain, plainSize) {
      if (suite === 'none') {
        assertPlainRange(plain, plainSize);
        return { start: plain.start, end: plain.end };
      }
      return new Layout(chunkSize, plainSize).cover(plain).stored;
    },

    async openRange(slice, key, plain, plainSize) {
      const expected = storedRangeFor(key, plain, plainSize);
      if (slice.length !== expected.end - expected.start && !hasLayout(key, suite, chunkSize)) {
        throw new AppError(
          'internal',
          'Object was sealed with another cipher layout than configured: compute its range with storedRangeFor(key, …)',
        );
      }
      if (key.suite === 'none') return plainSlice(slice, plain, plainSize);
      const { dataKey, chunkSize: keyChunkSize } = unwrap(encrypted(key));
      return openChunks(slice, { suite: key.suite, dataKey, chunkSize: keyChunkSize, plain, plainSize });
    },

    async rewrap(key) {
      if (key.suite === 'none' || key.masterKeyId === ring().current.id) return key;
      const { dataKey, chunkSize: keyChunkSize } = unwrap(encrypted(key));
      const { current } = ring();
      const wrapped = wrapDataKey({
        suite: key.suite,
        masterKey: current.key,
        masterKeyId: current.id,
        chunkSize: keyChunkSize,
        dataKey,
      });
      return { suite: key.suite, masterKeyId: current.id, wrapped };
    },
  };
}

/**
 * `storedRange` for an object whose key is at hand: correct even when the object was sealed under
 * another suite or chunk size than the cipher's current configuration.
 */
export function storedRangeFor(key: WrappedKey, plain: ByteRange, plainSize: number): ByteRange {
  if (key.suite === 'none') {
    assertPlainRange(plain, plainSize);
    return { start: plain.start, end: plain.end };
  }
  return new Layout(peekChunkSize(key.wrapped), plainSize).cover(plain).stored;
}

function sealObject(
  plain: Uint8Array,
  options: { suite: EncryptedSuite; chunkSize: number; keyRing: KeyRing },
): SealedObject {
  const { suite, chunkSize, keyRing } = options;
  const dataKey = randomBytes(DATA_KEY_SIZE);
  const layout = new Layout(chunkSize, plain.length);
  const header = encodeHeader({ suite, chunkSize, plainLength: plain.length });
  const out = Buffer.allocUnsafe(layout.storedLength);
  header.copy(out, 0);
  const codec = chunkCodec(suite, dataKey);
  for (let i = 0; i < layout.chunkCount; i++) {
    const from = i * chunkSize;
    const chunk = plain.subarray(from, from + layout.plainLengthOf(i));
    codec.seal(chunk, chunkAad(header, i, i === layout.chunkCount - 1), i, out, layout.storedOffsetOf(i));
  }
  const { current } = keyRing;
  const wrapped = wrapDataKey({ suite, masterKey: current.key, masterKeyId: current.id, chunkSize, dataKey });
  return { stored: out, key: { suite, masterKeyId: current.id, wrapped } };
}

function openObject(
  stored: Uint8Array,
  suite: EncryptedSuite,
  dataKey: Buffer,
  keyChunkSize: number,
): Uint8Array {
  const header = decodeHeader(stored);
  if (header.suite !== suite || header.chunkSize !== keyChunkSize) {
    throw new IntegrityError('Stored object header does not match its data key');
  }
  const layout = new Layout(header.chunkSize, header.plainLength);
  if (stored.length !== layout.storedLength)
    throw new IntegrityError('Stored object is truncated or extended');
  // Every chunk, even the single empty one of an empty object: its tag is what vouches for the header.
  const out = Buffer.allocUnsafe(header.plainLength);
  decryptChunks({
    suite,
    dataKey,
    layout,
    first: 0,
    last: layout.chunkCount - 1,
    slice: stored,
    offset: 0,
    out,
  });
  return out;
}

interface OpenRange {
  readonly suite: EncryptedSuite;
  readonly dataKey: Buffer;
  readonly chunkSize: number;
  readonly plain: ByteRange;
  readonly plainSize: number;
}

/** Plaintext `plain` from `slice`, the stored bytes of exactly the chunks covering it. */
function openChunks(slice: Uint8Array, options: OpenRange): Uint8Array {
  const { suite, dataKey, chunkSize, plain, plainSize } = options;
  const layout = new Layout(chunkSize, plainSize);
  const { first, last, stored } = layout.cover(plain);
  if (slice.length !== stored.end - stored.start)
    throw new IntegrityError('Stored slice is truncated or extended');
  if (last < first) return new Uint8Array();
  const base = first * chunkSize;
  const out = Buffer.allocUnsafe(Math.min(plainSize, (last + 1) * chunkSize) - base);
  decryptChunks({ suite, dataKey, layout, first, last, slice, offset: stored.start, out });
  return out.subarray(plain.start - base, plain.end - base);
}

interface DecryptChunks {
  readonly suite: EncryptedSuite;
  readonly dataKey: Buffer;
  readonly layout: Layout;
  readonly first: number;
  readonly last: number;
  /** Stored bytes starting at stored offset `offset`. */
  readonly slice: Uint8Array;
  readonly offset: number;
  /** Receives the plaintext of chunks `first…last`, from its start. */
  readonly out: Buffer;
}

/**
 * The header is rebuilt from what the caller knows (suite, chunk size, plaintext size) rather than
 * read: every chunk's tag covers it, so a wrong size, a moved chunk or a foreign slice fails.
 */
function decryptChunks(job: DecryptChunks): void {
  const { layout, first, last, slice, offset, out } = job;
  const header = encodeHeader({
    suite: job.suite,
    chunkSize: layout.chunkSize,
    plainLength: layout.plainLength,
  });
  const codec = chunkCodec(job.suite, job.dataKey);
  for (let i = first; i <= last; i++) {
    const at = layout.storedOffsetOf(i) - offset;
    const sealed = slice.subarray(at, at + layout.plainLengthOf(i) + TAG_SIZE);
    const isLast = i === layout.chunkCount - 1;
    codec.open(sealed, chunkAad(header, i, isLast), i, out, (i - first) * layout.chunkSize);
  }
}

function plainSlice(slice: Uint8Array, plain: ByteRange, plainSize: number): Uint8Array {
  assertPlainRange(plain, plainSize);
  if (slice.length !== plain.end - plain.start)
    throw new IntegrityError('Stored slice is truncated or extended');
  return slice;
}

/** Whether `storedRange` (the cipher's configuration) computes the same stored bytes as the key's own layout. */
function hasLayout(key: WrappedKey, suite: CipherSuite, chunkSize: number): boolean {
  if (key.suite === 'none' || suite === 'none') return key.suite === suite;
  return peekChunkSize(key.wrapped) === chunkSize;
}

function encrypted(key: WrappedKey): WrappedKey & { suite: EncryptedSuite } {
  if (key.suite === 'none') throw new AppError('internal', 'Not an encrypted key');
  return key as WrappedKey & { suite: EncryptedSuite };
}
