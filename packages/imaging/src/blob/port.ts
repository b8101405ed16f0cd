/**
 * One backend that holds bytes under keys: local disk (`FsBlobStore`) or S3-compatible object
 * storage (`S3BlobStore`). Backends know nothing of DICOM, encryption or replication: the image
 * store (`../storage`) composes several of them into tiers and copies.
 */
export interface BlobStore {
  /** Stable name of the backend in placement records and health reports (`hot`, `cold`, `replica-1`). */
  readonly name: string;
  /** Stores the bytes durably (fsync'd file, S3 200) before resolving; replaces any object under the key. */
  put(key: string, body: Uint8Array): Promise<void>;
  /** The object's bytes, or the `[start, end)` slice of them. Throws `BlobNotFoundError` when absent. */
  get(key: string, range?: ByteRange): Promise<Uint8Array>;
  has(key: string): Promise<boolean>;
  /** Idempotent: deleting an absent key succeeds. */
  delete(key: string): Promise<void>;
  /** Every key (under `prefix`), in no particular order. */
  list(prefix?: string): AsyncIterable<string>;
  /** Whether the backend answers (a cheap probe, for health checks and fail-over). */
  check(): Promise<BlobHealth>;
}

/** Bytes `[start, end)` of an object. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface BlobHealth {
  readonly name: string;
  readonly ok: boolean;
  /** Why not ok (never a secret or a path outside the backend's own root). */
  readonly detail?: string;
}

/** The key is not in this backend. */
export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  readonly backend: string;
  readonly key: string;
  constructor(backend: string, key: string) {
    super(`${key} is not in ${backend}`);
    this.backend = backend;
    this.key = key;
  }
}

/** The backend could not be reached or failed (disk error, S3 down): the caller may fail over. */
export class BlobUnavailableError extends Error {
  override readonly name = 'BlobUnavailableError';
  readonly backend: string;
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super(`${backend}: ${message}`, options);
    this.backend = backend;
  }
}
