import { AppError } from '@yiyun/fhir';
import type { ByteRange } from '../blob/port.ts';
import { type CipherSuite, IntegrityError } from './port.ts';

/**
 * Stored object layout (encrypted suites):
 *
 *   header (20 bytes) = magic "YYEC" | version u8 | suite u8 | reserved u16 = 0 | chunkSize u32 BE
 *                       | plaintext length u64 BE
 *   chunk i           = ciphertext (chunkSize bytes; the last one shorter, possibly empty) | tag (16)
 *
 * There is always at least one chunk, so even an empty object carries a tag over its header.
 * Both encrypted suites use 16-byte tags, so their layouts are identical.
 */
export const MAGIC = Buffer.from('YYEC', 'ascii');
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 20;
export const TAG_SIZE = 16;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Bounds keep SM4-CTR's in-chunk block counter far below 2^64 and headers sane. */
export const MIN_CHUNK_SIZE = 16;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

export type EncryptedSuite = Exclude<CipherSuite, 'none'>;

const SUITE_IDS: Record<EncryptedSuite, number> = { 'aes-256-gcm': 1, 'sm4-ctr-hmac-sm3': 2 };

export function suiteId(suite: EncryptedSuite): number {
  return SUITE_IDS[suite];
}

export function suiteOfId(id: number): EncryptedSuite | undefined {
  if (id === 1) return 'aes-256-gcm';
  if (id === 2) return 'sm4-ctr-hmac-sm3';
  return undefined;
}

export function assertChunkSize(chunkSize: number): void {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new AppError('invalid', `Cipher chunk size must be ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE} bytes`);
  }
}

export interface Header {
  readonly suite: EncryptedSuite;
  readonly chunkSize: number;
  readonly plainLength: number;
}

export function encodeHeader(header: Header): Buffer {
  const out = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(out, 0);
  out.writeUInt8(FORMAT_VERSION, 4);
  out.writeUInt8(suiteId(header.suite), 5);
  out.writeUInt32BE(header.chunkSize, 8);
  out.writeBigUInt64BE(BigInt(header.plainLength), 12);
  return out;
}

/** Parses a stored header; anything unexpected is an integrity failure (the bytes are ours). */
export function decodeHeader(stored: Uint8Array): Header {
  if (stored.length < HEADER_SIZE) throw new IntegrityError('Stored object is shorter than its header');
  const buf = Buffer.from(stored.buffer, stored.byteOffset, HEADER_SIZE);
  if (!buf.subarray(0, 4).equals(MAGIC)) throw new IntegrityError('Stored object has no cipher header');
  if (buf.readUInt8(4) !== FORMAT_VERSION)
    throw new IntegrityError('Stored object has an unknown format version');
  const suite = suiteOfId(buf.readUInt8(5));
  if (suite === undefined || buf.readUInt16BE(6) !== 0)
    throw new IntegrityError('Stored object header is corrupt');
  const chunkSize = buf.readUInt32BE(8);
  const plainLength = buf.readBigUInt64BE(12);
  if (
    chunkSize < MIN_CHUNK_SIZE ||
    chunkSize > MAX_CHUNK_SIZE ||
    plainLength > BigInt(Number.MAX_SAFE_INTEGER)
  ) {
    throw new IntegrityError('Stored object header is corrupt');
  }
  return { suite, chunkSize, plainLength: Number(plainLength) };
}

/** Chunk arithmetic for one object. */
export class Layout {
  readonly chunkSize: number;
  readonly plainLength: number;
  readonly chunkCount: number;

  constructor(chunkSize: number, plainLength: number) {
    this.chunkSize = chunkSize;
    this.plainLength = plainLength;
    this.chunkCount = Math.max(1, Math.ceil(plainLength / chunkSize));
  }

  get storedLength(): number {
    return HEADER_SIZE + this.plainLength + this.chunkCount * TAG_SIZE;
  }

  /** Plaintext bytes in chunk `index`. */
  plainLengthOf(index: number): number {
    return index < this.chunkCount - 1
      ? this.chunkSize
      : this.plainLength - (this.chunkCount - 1) * this.chunkSize;
  }

  /** Offset of chunk `index` in the stored object. */
  storedOffsetOf(index: number): number {
    return HEADER_SIZE + index * (this.chunkSize + TAG_SIZE);
  }

  /** The chunks covering plaintext `[start, end)` (inclusive indexes) and their stored bytes. */
  cover(plain: ByteRange): { first: number; last: number; stored: ByteRange } {
    assertPlainRange(plain, this.plainLength);
    const first = Math.min(Math.floor(plain.start / this.chunkSize), this.chunkCount - 1);
    if (plain.end === plain.start) {
      const at = this.storedOffsetOf(first);
      return { first, last: first - 1, stored: { start: at, end: at } };
    }
    const last = Math.floor((plain.end - 1) / this.chunkSize);
    const end = this.storedOffsetOf(last) + this.plainLengthOf(last) + TAG_SIZE;
    return { first, last, stored: { start: this.storedOffsetOf(first), end } };
  }
}

export function assertPlainRange(range: ByteRange, plainSize: number): void {
  const { start, end } = range;
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    end < start ||
    end > plainSize
  ) {
    throw new AppError('invalid', `Byte range [${start}, ${end}) is outside an object of ${plainSize} bytes`);
  }
}

/** The authenticated data of chunk `index`: header ‖ index u64 BE ‖ last-chunk flag. */
export function chunkAad(header: Buffer, index: number, isLast: boolean): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + 9);
  header.copy(out, 0);
  out.writeBigUInt64BE(BigInt(index), HEADER_SIZE);
  out.writeUInt8(isLast ? 1 : 0, HEADER_SIZE + 8);
  return out;
}
