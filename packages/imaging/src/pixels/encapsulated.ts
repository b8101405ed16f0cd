import { AppError } from '@yiyun/fhir';

/** One fragment of encapsulated Pixel Data (PS3.5 §A.4): its item's offset and its value. */
export interface Fragment {
  /** Offset of the item tag from the first byte of the first fragment's item tag (the offset table's origin). */
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface EncapsulatedPixels {
  /** Basic Offset Table entries (empty when the first item is empty). */
  readonly basicOffsets: readonly number[];
  readonly fragments: readonly Fragment[];
}

const ITEM = 0xfffee000;
const SEQUENCE_DELIMITER = 0xfffee0dd;

/**
 * Splits the value of encapsulated Pixel Data into the Basic Offset Table and the fragments. The value
 * may or may not include the Sequence Delimitation Item; either ends the walk. Fragments are views.
 */
export function readEncapsulated(value: Uint8Array): EncapsulatedPixels {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const items: { start: number; bytes: Uint8Array }[] = [];
  let pos = 0;
  while (pos + 8 <= value.length) {
    const tag = ((view.getUint16(pos, true) << 16) | view.getUint16(pos + 2, true)) >>> 0;
    if (tag === SEQUENCE_DELIMITER) break;
    const length = view.getUint32(pos + 4, true);
    if (tag !== ITEM || pos + 8 + length > value.length) {
      throw new AppError('unprocessable', `encapsulated pixel data: bad item at byte ${pos} (PS3.5 §A.4)`);
    }
    items.push({ start: pos, bytes: value.subarray(pos + 8, pos + 8 + length) });
    pos += 8 + length;
  }
  const [table, ...rest] = items;
  if (table === undefined) throw new AppError('unprocessable', 'encapsulated pixel data without items');
  const origin = rest[0]?.start ?? 0;
  const tableView = new DataView(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength);
  const basicOffsets: number[] = [];
  for (let i = 0; i + 4 <= table.bytes.length; i += 4) basicOffsets.push(tableView.getUint32(i, true));
  return {
    basicOffsets,
    fragments: rest.map((item) => ({ offset: item.start - origin, bytes: item.bytes })),
  };
}

/** Fragment index ranges [start, end) per frame from an offset table, or undefined if the table does not fit. */
function groupByOffsets(
  fragments: readonly Fragment[],
  offsets: readonly number[],
): [number, number][] | undefined {
  const indexOf = new Map(fragments.map((fragment, i) => [fragment.offset, i]));
  const starts = offsets.map((offset) => indexOf.get(offset));
  if (starts.some((s, i) => s === undefined || (i > 0 && s <= starts[i - 1]!))) return undefined;
  return starts.map((s, i) => [s!, starts[i + 1] ?? fragments.length]);
}

/** Does the fragment begin a codestream: JPEG/JPEG-LS SOI, J2K SOC+SIZ, JP2 or JPEG XL signatures. */
function startsCodestream(bytes: Uint8Array): boolean {
  const [a, b, c, d] = bytes;
  if (a === 0xff && (b === 0xd8 || b === 0x0a)) return true;
  if (a === 0xff && b === 0x4f && c === 0xff && d === 0x51) return true;
  // JP2 / JPEG XL container: a 12-byte signature box ('jP  ' or 'JXL ').
  return a === 0 && b === 0 && c === 0 && d === 0x0c;
}

/** JPEG family: the previous frame ends with EOI (FFD9), possibly followed by one byte of padding. */
function endsCodestream(bytes: Uint8Array): boolean {
  const n = bytes.length;
  const eoiAt = (i: number) => i >= 0 && bytes[i] === 0xff && bytes[i + 1] === 0xd9;
  return eoiAt(n - 2) || (bytes[n - 1] === 0 && eoiAt(n - 3));
}

function groupByMarkers(fragments: readonly Fragment[]): [number, number][] {
  const starts: number[] = [];
  fragments.forEach((fragment, i) => {
    const jpeg = fragment.bytes[0] === 0xff && fragment.bytes[1] === 0xd8;
    const previous = fragments[i - 1];
    const afterEnd = previous === undefined || !jpeg || endsCodestream(previous.bytes);
    if (startsCodestream(fragment.bytes) && afterEnd) starts.push(i);
  });
  if (starts[0] !== 0) return [];
  return starts.map((s, i) => [s, starts[i + 1] ?? fragments.length]);
}

/**
 * Which fragments make each frame (PS3.5 §A.4): the Extended Offset Table (PS3.3 C.7.6.3.1.8) or the Basic
 * Offset Table when they fit; else one fragment per frame when the counts agree; else all fragments for a
 * single frame; else codestream boundaries (SOI after EOI for JPEG, SOC for JPEG 2000).
 */
export function frameFragments(
  pixels: EncapsulatedPixels,
  numberOfFrames: number,
  extendedOffsets?: readonly number[],
): [number, number][] {
  const { fragments } = pixels;
  for (const table of [extendedOffsets, pixels.basicOffsets]) {
    if (table === undefined || table.length !== numberOfFrames) continue;
    const grouped = groupByOffsets(fragments, table);
    if (grouped !== undefined) return grouped;
  }
  if (fragments.length === numberOfFrames) return fragments.map((_, i) => [i, i + 1]);
  if (numberOfFrames === 1) return [[0, fragments.length]];
  const grouped = groupByMarkers(fragments);
  if (grouped.length !== numberOfFrames) {
    throw new AppError(
      'unprocessable',
      `encapsulated pixel data: ${fragments.length} fragments for ${numberOfFrames} frames and no usable ` +
        'offset table (PS3.5 §A.4)',
    );
  }
  return grouped;
}

/** The bytes of one frame: a view when it is one fragment, else the fragments concatenated. */
export function joinFragments(fragments: readonly Fragment[], [start, end]: [number, number]): Uint8Array {
  if (end - start === 1) return fragments[start]!.bytes;
  let length = 0;
  for (let i = start; i < end; i++) length += fragments[i]!.bytes.length;
  const out = new Uint8Array(length);
  for (let i = start, at = 0; i < end; i++) {
    out.set(fragments[i]!.bytes, at);
    at += fragments[i]!.bytes.length;
  }
  return out;
}
