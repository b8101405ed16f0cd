import { invalidDicom, tooLargeDicom } from './errors.ts';

/** A bulk data value: where its bytes are in the Part 10 bytes. */
export interface BulkRange {
  readonly offset: number;
  readonly length: number;
}

/** Limits that keep hostile input from costing more than a bounded amount of time and memory. */
export interface ReadLimits {
  /** Data elements (including items and fragments) in the whole instance. */
  readonly maxElements: number;
  /** Sequence nesting. */
  readonly maxDepth: number;
  /** Binary values up to this size are inlined (InlineBinary); larger ones become bulk data. */
  readonly inlineBinaryMax: number;
}

/** The state of one walk over one encoded dataset (PS3.5 §7). Positions are absolute in `bytes`. */
export interface ReadContext {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly littleEndian: boolean;
  readonly explicitVr: boolean;
  /** Pixel Data may be encapsulated (PS3.5 §A.4). */
  readonly encapsulated: boolean;
  /** `bytes` are the Part 10 bytes, so positions are offsets in them (false after inflating). */
  readonly offsetsAreOriginal: boolean;
  readonly bulk: Map<string, BulkRange>;
  readonly limits: ReadLimits;
  readonly counter: { elements: number };
}

export const UNDEFINED_LENGTH = 0xffffffff;
export const ITEM = 0xfffee000;
export const ITEM_DELIMITER = 0xfffee00d;
export const SEQUENCE_DELIMITER = 0xfffee0dd;

/** `(GGGG,EEEE)`, the notation of the standard, for messages. */
export function tagLabel(tag: number): string {
  const hex = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** `GGGGEEEE`, the DICOM JSON key (PS3.18 §F.2.1.1). Called for every element, hence the table. */
export function tagKey(tag: number): string {
  return HEX2[tag >>> 24]! + HEX2[(tag >>> 16) & 0xff]! + HEX2[(tag >>> 8) & 0xff]! + HEX2[tag & 0xff]!;
}

export function truncated(what: string, at: number, needed: number, end: number): Error {
  return invalidDicom(
    `truncated: ${what} at byte ${at} needs ${needed} bytes but only ${Math.max(0, end - at)} remain`,
  );
}

export function countElement(ctx: ReadContext): void {
  ctx.counter.elements++;
  // Too many elements is a resource problem, not a syntax one (PS3.18 §10.5.3: 0xA700 Out of resources).
  if (ctx.counter.elements > ctx.limits.maxElements) {
    throw tooLargeDicom(`the dataset has more than ${ctx.limits.maxElements} data elements`);
  }
}
