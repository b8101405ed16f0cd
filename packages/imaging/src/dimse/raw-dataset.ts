import { Writable } from 'node:stream';
import dimse from 'dcmjs-dimse';
import { isUncompressed } from './negotiation.ts';

const { Dataset } = dimse;

/**
 * A dataset that travels as the bytes it was received or stored in. dcmjs-dimse parses every incoming
 * C-STORE dataset into dcmjs elements and re-encodes every outgoing one; that costs time and, worse,
 * changes bytes (padding, lengths, private tags, encapsulated fragments). This subclass hands the bytes
 * through untouched; it is parsed only if dcmjs-dimse must transcode it for a peer that did not accept
 * the stored syntax (uncompressed syntaxes only; anything else fails that sub-operation).
 */
export class RawDataset extends Dataset {
  #bytes: Buffer;
  #parsed = false;

  constructor(bytes: Uint8Array, transferSyntaxUid: string) {
    super({}, transferSyntaxUid);
    this.#bytes = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get bytes(): Buffer {
    return this.#bytes;
  }

  /** Called by dcmjs-dimse when it writes the P-DATA PDUs: the bytes as they are. */
  override getDenaturalizedDataset(): Buffer {
    if (this.#parsed) return super.getDenaturalizedDataset();
    return this.#bytes;
  }

  /** Only transcoding needs elements; parse then (never for deflated or encapsulated syntaxes). */
  override getElements(): Record<string, unknown> {
    if (!this.#parsed) {
      if (!isUncompressed(this.getTransferSyntaxUid())) {
        throw new Error(`cannot transcode a dataset stored in ${this.getTransferSyntaxUid()}`);
      }
      const parsed = new Dataset(this.#bytes, this.getTransferSyntaxUid()).getElements();
      for (const [key, value] of Object.entries(parsed)) super.setElement(key, value as string);
      this.#parsed = true;
    }
    return super.getElements();
  }

  /** Reading one element must not parse the whole dataset (CStoreRequest's constructor asks for two). */
  override getElement(tag: string): string | undefined {
    return this.#parsed ? super.getElement(tag) : undefined;
  }

  /** Drops the bytes once sent: dcmjs-dimse keeps every request it sent for the association's life. */
  release(): void {
    this.#bytes = Buffer.alloc(0);
  }
}

/**
 * Collects a C-STORE dataset's P-DATA fragments without copying them into one growing buffer.
 * `write` never reports back-pressure: dcmjs-dimse processes PDUs without awaiting one another, so
 * a `drain` wait there would let the next PDU overtake this one.
 */
export class DatasetCollector extends Writable {
  readonly #chunks: Buffer[] = [];

  constructor() {
    super({ highWaterMark: Number.MAX_SAFE_INTEGER });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#chunks.push(chunk);
    callback();
  }

  bytes(): Buffer {
    return this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
  }
}
