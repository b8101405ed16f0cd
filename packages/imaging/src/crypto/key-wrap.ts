import { hkdfSync, randomBytes } from 'node:crypto';
import { chunkCodec, DATA_KEY_SIZE } from './chunk-codec.ts';
import { type EncryptedSuite, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, suiteId, TAG_SIZE } from './format.ts';
import { IntegrityError } from './port.ts';

/**
 * A wrapped data key (the `wrapped` bytes of a `WrappedKey`, 70 bytes):
 *
 *   version u8 = 1 | suite u8 | chunkSize u32 BE | salt (16) | encrypted data key (32) | tag (16)
 *
 * Each wrap uses its own key, HKDF(master key, salt, label) — HKDF-SHA256 for AES, HKDF-SM3 for SM —
 * so the master key itself never encrypts and the 2^32 random-nonce limit of NIST SP 800-38D §8.3
 * does not apply however many objects one master key wraps. The authenticated data binds the
 * version, suite, chunk size, salt and master-key id: a record cannot be moved to another key id
 * or suite, and its chunk size (which ranged reads rely on) cannot be altered.
 */
const WRAP_VERSION = 1;
const SALT_SIZE = 16;
const PREFIX_SIZE = 1 + 1 + 4 + SALT_SIZE;
export const WRAPPED_SIZE = PREFIX_SIZE + DATA_KEY_SIZE + TAG_SIZE;

const WRAP_LABEL: Record<EncryptedSuite, { hash: string; info: string }> = {
  'aes-256-gcm': { hash: 'sha256', info: 'yiyun/v1 dek-wrap aes-256-gcm' },
  'sm4-ctr-hmac-sm3': { hash: 'sm3', info: 'yiyun/v1 dek-wrap sm4-ctr-hmac-sm3' },
};

export interface WrapInput {
  readonly suite: EncryptedSuite;
  readonly masterKey: Buffer;
  readonly masterKeyId: string;
  readonly chunkSize: number;
  readonly dataKey: Buffer;
}

export function wrapDataKey(input: WrapInput): Buffer {
  const out = Buffer.alloc(WRAPPED_SIZE);
  out.writeUInt8(WRAP_VERSION, 0);
  out.writeUInt8(suiteId(input.suite), 1);
  out.writeUInt32BE(input.chunkSize, 2);
  randomBytes(SALT_SIZE).copy(out, 6);
  const codec = chunkCodec(
    input.suite,
    wrappingKey(input.suite, input.masterKey, out.subarray(6, PREFIX_SIZE)),
  );
  codec.seal(input.dataKey, wrapAad(out, input.masterKeyId), 0, out, PREFIX_SIZE);
  return out;
}

export interface UnwrapInput {
  readonly suite: EncryptedSuite;
  readonly masterKey: Buffer;
  readonly masterKeyId: string;
  readonly wrapped: Uint8Array;
}

/** The data key and the chunk size it was sealed with; `IntegrityError` for a wrong master key or a tampered record. */
export function unwrapDataKey(input: UnwrapInput): { dataKey: Buffer; chunkSize: number } {
  const record = Buffer.from(input.wrapped.buffer, input.wrapped.byteOffset, input.wrapped.length);
  const chunkSize = peekChunkSize(record);
  if (record.readUInt8(1) !== suiteId(input.suite))
    throw new IntegrityError('Wrapped data key is for another suite');
  const codec = chunkCodec(
    input.suite,
    wrappingKey(input.suite, input.masterKey, record.subarray(6, PREFIX_SIZE)),
  );
  const dataKey = Buffer.alloc(DATA_KEY_SIZE);
  codec.open(record.subarray(PREFIX_SIZE), wrapAad(record, input.masterKeyId), 0, dataKey, 0);
  return { dataKey, chunkSize };
}

/**
 * The chunk size recorded in a wrapped key, read without unwrapping (it is authenticated when the
 * key is unwrapped), so that stored ranges can be computed before any decryption.
 */
export function peekChunkSize(wrapped: Uint8Array): number {
  if (wrapped.length !== WRAPPED_SIZE || wrapped[0] !== WRAP_VERSION) {
    throw new IntegrityError('Wrapped data key is malformed');
  }
  const chunkSize = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.length).readUInt32BE(2);
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE)
    throw new IntegrityError('Wrapped data key is malformed');
  return chunkSize;
}

function wrappingKey(suite: EncryptedSuite, masterKey: Buffer, salt: Buffer): Buffer {
  const { hash, info } = WRAP_LABEL[suite];
  return Buffer.from(hkdfSync(hash, masterKey, salt, info, DATA_KEY_SIZE));
}

function wrapAad(record: Buffer, masterKeyId: string): Buffer {
  return Buffer.concat([
    Buffer.from('yiyun/v1 dek\0', 'utf8'),
    record.subarray(0, PREFIX_SIZE),
    Buffer.from(masterKeyId),
  ]);
}
