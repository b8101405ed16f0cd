import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** SHA-256 (default) or SM3 (GB/T 32905-2016, for 国密 assessments); both give 32 bytes. */
export const HASH_ALGORITHMS = ['sha256', 'sm3'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export function isHashAlgorithm(value: string): value is HashAlgorithm {
  return (HASH_ALGORITHMS as readonly string[]).includes(value);
}

export const HASH_BYTES = 32;

export function hash(algorithm: HashAlgorithm, ...parts: readonly Uint8Array[]): Buffer {
  const h = createHash(algorithm);
  for (const part of parts) h.update(part);
  return h.digest();
}

/** Every stored field of an event row except `seq` (bound in the leaf) and `inserted_at`. */
export interface EventFields {
  readonly recorded: string;
  readonly kind: string;
  readonly outcome: string;
  readonly account: string | null;
  readonly organization: string | null;
  readonly patients: readonly string[];
  readonly content: unknown;
}

/** The row's digest (`audit_event.hash`): H(canonical JSON of its fields). */
export function eventDigest(algorithm: HashAlgorithm, fields: EventFields): Buffer {
  const canonical = canonicalJson({
    recorded: fields.recorded,
    kind: fields.kind,
    outcome: fields.outcome,
    account: fields.account,
    organization: fields.organization,
    patients: fields.patients,
    content: fields.content,
  });
  return hash(algorithm, Buffer.from(canonical, 'utf8'));
}

function uint64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/**
 * Merkle leaf for an event: RFC 6962 §2.1 leaf hash H(0x00 ‖ entry) of entry = digest ‖ seq (8 bytes,
 * big-endian). Binding seq makes a moved or swapped event fail even when its content is intact.
 */
export function leafHash(algorithm: HashAlgorithm, digest: Uint8Array, seq: number): Buffer {
  return hash(algorithm, Buffer.of(0x00), digest, uint64(seq));
}

/** RFC 6962 §2.1 Merkle Tree Hash over leaf hashes; node = H(0x01 ‖ left ‖ right). */
export function merkleRoot(algorithm: HashAlgorithm, leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return hash(algorithm);
  let level: Uint8Array[] = [...leaves];
  // Pairing left to right and promoting an odd last node gives the same tree as RFC 6962's split at
  // the largest power of two below n.
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push(hash(algorithm, Buffer.of(0x01), level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return Buffer.from(level[0]!);
}

export interface BatchHeader {
  readonly prevHash: Uint8Array;
  readonly root: Uint8Array;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly count: number;
  readonly algorithm: HashAlgorithm;
}

/** batch_hash = H(0x02 ‖ prev_hash ‖ root ‖ first_seq ‖ last_seq ‖ count ‖ algorithm name). */
export function batchHash(header: BatchHeader): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(header.count);
  return hash(
    header.algorithm,
    Buffer.of(0x02),
    header.prevHash,
    header.root,
    uint64(header.firstSeq),
    uint64(header.lastSeq),
    count,
    Buffer.from(header.algorithm, 'ascii'),
  );
}

/** prev_hash of the first batch. */
export const GENESIS_HASH: Buffer = Buffer.alloc(HASH_BYTES);

/** Splits the stored concatenation of 32-byte leaf hashes. */
export function splitLeaves(leaves: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i + HASH_BYTES <= leaves.length; i += HASH_BYTES)
    out.push(Buffer.from(leaves.subarray(i, i + HASH_BYTES)));
  return out;
}
