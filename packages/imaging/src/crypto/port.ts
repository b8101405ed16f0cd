import type { ByteRange } from '../blob/port.ts';

/**
 * Envelope encryption of stored objects in fixed-size chunks ("sliced encryption", issue #6 scope
 * 6): a fresh data key per object, wrapped by the current master key; each chunk authenticated on
 * its own so that a ranged read decrypts only the chunks it needs. Master-key rotation re-wraps
 * data keys (small records), never the images.
 */
export interface ObjectCipher {
  /** `aes-256-gcm` (default), `sm4-ctr-hmac-sm3` (国密, GB/T 39786) or `none` (plain). */
  readonly suite: CipherSuite;
  /** The bytes to store and the wrapped data key to keep with the placement record. */
  seal(plain: Uint8Array): Promise<SealedObject>;
  /** The whole plaintext; throws `IntegrityError` when any chunk fails authentication. */
  open(stored: Uint8Array, key: WrappedKey): Promise<Uint8Array>;
  /** Which stored bytes hold plaintext `[start, end)` of an object of `plainSize` bytes. */
  storedRange(plain: ByteRange, plainSize: number): ByteRange;
  /** Plaintext `[start, end)` from the stored slice `storedRange(plain, plainSize)` returned. */
  openRange(slice: Uint8Array, key: WrappedKey, plain: ByteRange, plainSize: number): Promise<Uint8Array>;
  /** The same data key wrapped by the current master key (rotation); unchanged if it already is. */
  rewrap(key: WrappedKey): Promise<WrappedKey>;
  /** Id of the master key new objects are wrapped with. */
  readonly currentMasterKey: string;
}

export type CipherSuite = 'aes-256-gcm' | 'sm4-ctr-hmac-sm3' | 'none';

export interface SealedObject {
  readonly stored: Uint8Array;
  readonly key: WrappedKey;
}

/** A data key as kept in the placement record: which master key wrapped it, and the wrapped bytes. */
export interface WrappedKey {
  readonly suite: CipherSuite;
  readonly masterKeyId: string;
  /** Empty for suite `none`. */
  readonly wrapped: Uint8Array;
}

/** Stored bytes failed authentication or their digest: corrupt or tampered. */
export class IntegrityError extends Error {
  override readonly name = 'IntegrityError';
}
