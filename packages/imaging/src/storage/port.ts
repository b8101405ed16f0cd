import type { ByteRange } from '../blob/port.ts';

/**
 * What the imaging service stores images in: one logical store over tiers (hot disk, cold object
 * storage), N replicas, envelope encryption and SHA-256 integrity (issue #6, scope 4–6). Callers
 * see plaintext bytes; where and how they are kept is this module's business.
 */
export interface ImageStore {
  /**
   * Encrypts and stores an object in N copies, recording its placement; resolves only once it is
   * durable (at least one copy, and every copy that could be written). Never resolves for a write
   * that is not safe to acknowledge.
   */
  write(key: string, body: Uint8Array, meta: ImageObjectMeta): Promise<WriteReceipt>;
  /** The plaintext, or its `[start, end)` slice (ranged reads decrypt only the chunks they need). */
  read(key: string, range?: ByteRange): Promise<Uint8Array>;
  /** Removes every copy and the placement record (study deletion). */
  remove(key: string): Promise<void>;
  health(): Promise<StorageHealth>;
}

export interface ImageObjectMeta {
  /** StudyInstanceUID: the lifecycle policy moves whole studies between tiers. */
  readonly study: string;
}

export interface WriteReceipt {
  /** Backends that hold a copy now. */
  readonly copies: readonly string[];
  /** Fewer copies than configured: the scrubber completes them. */
  readonly underReplicated: boolean;
}

export interface StorageHealth {
  /** `ok`; `degraded` when a tier is down or objects are under-replicated (reads and writes go on). */
  readonly status: 'ok' | 'degraded' | 'unavailable';
  readonly backends: readonly { name: string; tier: 'hot' | 'cold'; ok: boolean; detail?: string }[];
  readonly objects: number;
  readonly underReplicated: number;
  readonly replicas: number;
  readonly cipher: string;
}
