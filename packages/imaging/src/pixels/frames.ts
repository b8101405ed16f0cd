import { AppError } from '@yiyun/fhir';
import type { ParsedInstance } from '../dicom/port.ts';
import { describePixels, frameBits, type PixelDescription } from './attributes.ts';
import { frameFragments, joinFragments, readEncapsulated } from './encapsulated.ts';
import {
  bulkBytes,
  EXPLICIT_VR_LITTLE_ENDIAN,
  isBigEndian,
  isEncapsulated,
  swapBytes,
  swapUnit,
} from './source.ts';

export interface ExtractedFrames {
  /** The syntax of the frame bytes: the stored one when encapsulated, else Explicit VR Little Endian. */
  readonly transferSyntaxUid: string;
  /** One entry per requested frame number, in the order requested. */
  readonly frames: Uint8Array[];
}

/**
 * The pixel data of frames `frameNumbers` (1-based), for WADO-RS Retrieve Frames (PS3.18 §9.5.1.2.3,
 * §8.7.3.5). Native pixel data is sliced frame by frame (PS3.5 §8.1.1, §8.2) and returned little endian
 * (PS3.18 §8.7.3.5.3: uncompressed bulk data is little endian); encapsulated pixel data gives each frame's
 * fragments (PS3.5 §A.4). Views into `part10` where possible, copies where a frame must be assembled.
 */
export function extractFrames(
  part10: Uint8Array,
  parsed: ParsedInstance,
  frameNumbers: readonly number[],
): ExtractedFrames {
  const pixels = describePixels(parsed);
  checkFrameNumbers(frameNumbers, pixels.numberOfFrames);
  const value = bulkBytes(part10, parsed, pixels.pixelPath);
  if (value === undefined)
    throw new AppError('not-found', `instance ${parsed.sopInstanceUid} has no pixel data`);
  if (isEncapsulated(parsed.transferSyntaxUid, value)) {
    const encapsulated = readEncapsulated(value);
    const groups = frameFragments(encapsulated, pixels.numberOfFrames, extendedOffsets(part10, parsed));
    const frames = frameNumbers.map((n) => joinFragments(encapsulated.fragments, groups[n - 1]!));
    return { transferSyntaxUid: parsed.transferSyntaxUid, frames };
  }
  const bigEndian = isBigEndian(parsed.transferSyntaxUid);
  const frames = frameNumbers.map((n) => nativeFrame(value, pixels, n - 1, bigEndian));
  return { transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, frames };
}

/** PS3.18 §8.7.3.5: frame numbers are positive integers; one past the last frame is not there (404). */
function checkFrameNumbers(frameNumbers: readonly number[], numberOfFrames: number): void {
  if (frameNumbers.length === 0) throw new AppError('invalid', 'no frame numbers requested');
  for (const n of frameNumbers) {
    if (!Number.isInteger(n) || n < 1) {
      throw new AppError('invalid', `frame number ${n} is not a positive integer (frame numbers start at 1)`);
    }
    if (n > numberOfFrames) {
      throw new AppError(
        'not-found',
        `frame ${n} does not exist: the instance has ${numberOfFrames} frame(s)`,
      );
    }
  }
}

/**
 * Native frame `index` (0-based). Frames of 1-bit data are bit-packed one after another (PS3.5 §8.1.1), so
 * a frame may start inside a byte: such a frame is shifted to start on bit 0, its last byte zero-padded.
 */
function nativeFrame(
  value: Uint8Array,
  pixels: PixelDescription,
  index: number,
  bigEndian: boolean,
): Uint8Array {
  const bits = frameBits(pixels);
  const firstBit = index * bits;
  const firstByte = Math.floor(firstBit / 8);
  const byteLength = Math.ceil((firstBit + bits) / 8) - firstByte;
  if (firstByte + byteLength > value.length) {
    throw new AppError(
      'unprocessable',
      `pixel data holds ${value.length} bytes, too few for frame ${index + 1} (PS3.5 §8.1.1)`,
    );
  }
  const unit = bigEndian ? swapUnit(pixels.pixelVr, pixels.bitsAllocated) : 1;
  const bytes =
    unit > 1
      ? swapBytes(value, firstByte, byteLength, unit)
      : value.subarray(firstByte, firstByte + byteLength);
  const shift = firstBit % 8;
  return shift === 0 && bits % 8 === 0 ? bytes : shiftBits(bytes, shift, bits);
}

/** Bits [shift, shift + bits) of `bytes` (least significant bit first) as a new array starting at bit 0. */
function shiftBits(bytes: Uint8Array, shift: number, bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits / 8));
  for (let i = 0; i < out.length; i++) {
    out[i] = ((bytes[i]! >> shift) | ((bytes[i + 1] ?? 0) << (8 - shift))) & 0xff;
  }
  const tail = bits % 8;
  if (tail !== 0) out[out.length - 1]! &= (1 << tail) - 1;
  return out;
}

/** Extended Offset Table (7FE0,0001), 64-bit offsets (PS3.3 C.7.6.3.1.8), when present. */
function extendedOffsets(part10: Uint8Array, parsed: ParsedInstance): number[] | undefined {
  const table = bulkBytes(part10, parsed, '7FE00001');
  if (table === undefined || table.length % 8 !== 0) return undefined;
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const offsets: number[] = [];
  for (let i = 0; i < table.length; i += 8) offsets.push(Number(view.getBigUint64(i, true)));
  return offsets;
}

/** All frame numbers of an instance, 1 … Number of Frames: for a whole Pixel Data retrieve. */
export function allFrameNumbers(parsed: ParsedInstance): number[] {
  return Array.from({ length: Math.max(1, parsed.numberOfFrames) }, (_, i) => i + 1);
}
