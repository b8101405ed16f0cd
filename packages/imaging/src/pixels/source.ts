import { AppError } from '@yiyun/fhir';
import { readBulkValue } from '../dicom/parse.ts';
import type { ParsedInstance } from '../dicom/port.ts';
import { transferSyntaxOf } from '../dicom/transfer-syntax.ts';
import { elementAtPath } from './attributes.ts';

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const DEFLATED = '1.2.840.10008.1.2.1.99';
const BIG_ENDIAN = '1.2.840.10008.1.2.2';
const ITEM_TAG_LE = [0xfe, 0xff, 0x00, 0xe0] as const;

export function isBigEndian(transferSyntaxUid: string): boolean {
  return transferSyntaxUid === BIG_ENDIAN;
}

/** Pixel Data is a sequence of fragments (PS3.5 §A.4), by the syntax, or for unknown ones by its first item. */
export function isEncapsulated(transferSyntaxUid: string, value: Uint8Array): boolean {
  const known = transferSyntaxOf(transferSyntaxUid);
  if (known !== undefined) return known.encapsulated;
  return value.length >= 8 && ITEM_TAG_LE.every((byte, i) => value[i] === byte);
}

/**
 * The value bytes of a bulk data element: a view of `part10` at the parsed location; for the deflated syntax
 * (PS3.5 §A.5), whose values have no offset in the stored bytes, a view of the inflated dataset.
 */
export function bulkBytes(part10: Uint8Array, parsed: ParsedInstance, path: string): Uint8Array | undefined {
  const range = parsed.bulk.get(path);
  if (range === undefined) {
    const element = elementAtPath(parsed.dataset, path);
    if (element?.BulkDataURI !== undefined) {
      const value = parsed.transferSyntaxUid === DEFLATED ? readBulkValue(part10, path) : undefined;
      if (value === undefined) throw unlocated(path, parsed.transferSyntaxUid);
      return value;
    }
    return element?.InlineBinary === undefined
      ? undefined
      : new Uint8Array(Buffer.from(element.InlineBinary, 'base64'));
  }
  if (range.offset < 0 || range.length < 0 || range.offset + range.length > part10.length) {
    throw new AppError('unprocessable', `bulk data ${path} lies outside the stored instance`);
  }
  return part10.subarray(range.offset, range.offset + range.length);
}

/** Metadata points at bulk data whose bytes the parse did not locate (the parser leaves out deflated ones). */
export function unlocated(path: string, transferSyntaxUid: string): AppError {
  return new AppError(
    'unsupported',
    `bulk data ${path} of this ${transferSyntaxUid} instance has no stored location`,
  );
}

/**
 * A little endian copy of big endian values of `unit` bytes (PS3.5 §7.3: OW swaps per 16-bit word, OF/OL
 * per 32, OD/OV per 64). `start` and `length` may cut through a value: byte i of the result is byte
 * `(start + i) XOR (unit - 1)` of `values`, which is aligned on `unit`.
 */
export function swapBytes(values: Uint8Array, start: number, length: number, unit: number): Uint8Array {
  const out = new Uint8Array(length);
  const flip = unit - 1;
  for (let i = 0; i < length; i++) out[i] = values[(start + i) ^ flip]!;
  return out;
}

/** The swap unit of a big endian value: by VR, and for Pixel Data by Bits Allocated (PS3.5 §8.1.1). */
export function swapUnit(vr: string, bitsAllocated?: number): number {
  if (bitsAllocated !== undefined && bitsAllocated > 16 && vr === 'OW') return bitsAllocated / 8;
  switch (vr) {
    case 'OW':
    case 'US':
    case 'SS':
      return 2;
    case 'OF':
    case 'OL':
    case 'FL':
    case 'UL':
    case 'SL':
      return 4;
    case 'OD':
    case 'OV':
    case 'FD':
      return 8;
    default:
      return 1;
  }
}
