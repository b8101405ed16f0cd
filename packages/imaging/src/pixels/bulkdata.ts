import { AppError } from '@yiyun/fhir';
import type { ParsedInstance } from '../dicom/port.ts';
import { describePixels, elementAtPath } from './attributes.ts';
import { bulkBytes, isBigEndian, isEncapsulated, swapBytes, swapUnit } from './source.ts';

/**
 * The value of the bulk data element at `path` (a `BulkDataURI` of the metadata, PS3.18 §8.6.2 and
 * §9.5.1.2.4), as it is encoded in Explicit VR Little Endian (PS3.18 §8.7.3.5.3: uncompressed bulk data is
 * little endian): a view into `part10` unless it had to be byte-swapped from big endian or inflated.
 * Encapsulated Pixel Data is returned as its items (PS3.5 §A.4); use `extractFrames` for its frames.
 */
export function bulkValue(part10: Uint8Array, parsed: ParsedInstance, path: string): Uint8Array {
  const element = elementAtPath(parsed.dataset, path);
  const isBulk = parsed.bulk.has(path) || element?.BulkDataURI !== undefined;
  const value = isBulk ? bulkBytes(part10, parsed, path) : undefined;
  if (value === undefined)
    throw new AppError('not-found', `no bulk data at ${path} in instance ${parsed.sopInstanceUid}`);
  if (!isBigEndian(parsed.transferSyntaxUid) || isEncapsulated(parsed.transferSyntaxUid, value)) return value;
  const vr = element?.vr ?? 'OB';
  const pixels = isPixelPath(path) ? describePixels(parsed) : undefined;
  const unit = swapUnit(vr, pixels?.bitsAllocated);
  return unit > 1 ? swapBytes(value, 0, value.length, unit) : value;
}

function isPixelPath(path: string): boolean {
  return path === '7FE00010' || path === '7FE00008' || path === '7FE00009';
}
