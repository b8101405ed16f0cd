import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { type EncryptedSuite, TAG_SIZE } from './format.ts';
import { IntegrityError } from './port.ts';

/** Encrypts and authenticates one chunk under one object's data key. */
export interface ChunkCodec {
  /** `ciphertext ‖ tag` of `plain`, written at `out[at…]`; returns the bytes written. */
  seal(plain: Uint8Array, aad: Buffer, index: number, out: Buffer, at: number): number;
  /** Verifies `ciphertext ‖ tag` and writes the plaintext at `out[at…]`; throws `IntegrityError`. */
  open(sealed: Uint8Array, aad: Buffer, index: number, out: Buffer, at: number): void;
}

export const DATA_KEY_SIZE = 32;

/** A codec for `suite` under a 32-byte key (an object's data key, or a one-time wrapping key). */
export function chunkCodec(suite: EncryptedSuite, key: Buffer): ChunkCodec {
  return suite === 'aes-256-gcm' ? aesGcmCodec(key) : sm4CtrHmacSm3Codec(key);
}

/**
 * AES-256-GCM with a deterministic 96-bit nonce: 4 zero bytes ‖ chunk index u64 BE. This is the
 * "deterministic construction" of NIST SP 800-38D §8.2.1 (fixed field ‖ invocation field); nonces
 * never repeat because every key (data key per object, wrapping key per wrap) is fresh and the
 * index is unique within it.
 */
function aesGcmCodec(key: Buffer): ChunkCodec {
  return {
    seal(plain, aad, index, out, at) {
      const cipher = createCipheriv('aes-256-gcm', key, gcmNonce(index), { authTagLength: TAG_SIZE });
      cipher.setAAD(aad);
      const head = cipher.update(plain);
      const tail = cipher.final();
      head.copy(out, at);
      tail.copy(out, at + head.length);
      cipher.getAuthTag().copy(out, at + plain.length);
      return plain.length + TAG_SIZE;
    },
    open(sealed, aad, index, out, at) {
      const { ciphertext, tag } = split(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, gcmNonce(index), { authTagLength: TAG_SIZE });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      const head = decipher.update(ciphertext);
      try {
        decipher.final();
      } catch (err) {
        throw new IntegrityError(`Chunk ${index} failed authentication`, { cause: err });
      }
      head.copy(out, at); // only after the tag verified: never release unauthenticated plaintext
    },
  };
}

/**
 * SM4-CTR (GB/T 32907) with HMAC-SM3 (GB/T 32905), encrypt-then-MAC. Separate encryption and MAC
 * keys are derived from the 32-byte key with HKDF-SM3 (RFC 5869 with SM3), since SM4 keys are
 * 128-bit. The counter block is chunk index u64 BE ‖ 0 u64: the low 64 bits count blocks inside a
 * chunk (≤ 2^20 blocks at the 16 MiB maximum), so counter blocks never repeat under one key. The
 * HMAC covers header ‖ index ‖ last flag ‖ ciphertext and is truncated to 128 bits (RFC 2104 §5,
 * NIST SP 800-107 §5.3.3), which gives both suites the same layout.
 */
function sm4CtrHmacSm3Codec(key: Buffer): ChunkCodec {
  const keys = Buffer.from(
    hkdfSync('sm3', key, Buffer.alloc(0), 'yiyun/v1 sm4-ctr enc 16 | hmac-sm3 mac 32', 48),
  );
  const encKey = keys.subarray(0, 16);
  const macKey = keys.subarray(16);
  const mac = (aad: Buffer, ciphertext: Uint8Array): Buffer =>
    createHmac('sm3', macKey).update(aad).update(ciphertext).digest().subarray(0, TAG_SIZE);
  return {
    seal(plain, aad, index, out, at) {
      const cipher = createCipheriv('sm4-ctr', encKey, ctrBlock(index));
      const head = cipher.update(plain);
      const tail = cipher.final();
      head.copy(out, at);
      tail.copy(out, at + head.length);
      mac(aad, out.subarray(at, at + plain.length)).copy(out, at + plain.length);
      return plain.length + TAG_SIZE;
    },
    open(sealed, aad, index, out, at) {
      const { ciphertext, tag } = split(sealed);
      if (!timingSafeEqual(mac(aad, ciphertext), tag)) {
        throw new IntegrityError(`Chunk ${index} failed authentication`);
      }
      const decipher = createDecipheriv('sm4-ctr', encKey, ctrBlock(index));
      const head = decipher.update(ciphertext);
      head.copy(out, at);
      decipher.final().copy(out, at + head.length);
    },
  };
}

function split(sealed: Uint8Array): { ciphertext: Uint8Array; tag: Uint8Array } {
  if (sealed.length < TAG_SIZE) throw new IntegrityError('Chunk is shorter than its tag');
  return {
    ciphertext: sealed.subarray(0, sealed.length - TAG_SIZE),
    tag: sealed.subarray(sealed.length - TAG_SIZE),
  };
}

function gcmNonce(index: number): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
}

function ctrBlock(index: number): Buffer {
  const block = Buffer.alloc(16);
  block.writeBigUInt64BE(BigInt(index), 0);
  return block;
}
