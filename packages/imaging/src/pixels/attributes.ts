import { AppError } from '@yiyun/fhir';
import type { ParsedInstance } from '../dicom/port.ts';
import type { DicomJson, DicomJsonElement } from '../service/port.ts';

/** Pixel Data, Float Pixel Data and Double Float Pixel Data (PS3.3 C.7.6.3): at most one is present. */
const PIXEL_TAGS = ['7FE00010', '7FE00008', '7FE00009'] as const;

/** What frame extraction needs to know of an image (PS3.3 C.7.6.3 Image Pixel Module). */
export interface PixelDescription {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly photometricInterpretation: string;
  readonly numberOfFrames: number;
  /** The tag path of the pixel data element (`7FE00010`, or 7FE00008/7FE00009 for float pixels). */
  readonly pixelPath: string;
  /** Its VR (OB or OW; OF/OD for float pixels): big endian OW values are swapped per 16-bit word. */
  readonly pixelVr: string;
}

export function firstValue(dataset: DicomJson, tag: string): unknown {
  return dataset[tag]?.Value?.[0];
}

export function numberAt(dataset: DicomJson, tag: string): number | undefined {
  const value = firstValue(dataset, tag);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function stringAt(dataset: DicomJson, tag: string): string | undefined {
  const value = firstValue(dataset, tag);
  return typeof value === 'string' ? value.trim() : undefined;
}

/** The element at a bulk data path (`7FE00010`, `00540016.0.00181072`: tag, item index, tag …). */
export function elementAtPath(dataset: DicomJson, path: string): DicomJsonElement | undefined {
  const parts = path.split('.');
  let current: DicomJson | undefined = dataset;
  let element: DicomJsonElement | undefined;
  for (let i = 0; i < parts.length; i += 2) {
    const tag = parts[i]!;
    element = current?.[tag];
    if (element === undefined) return undefined;
    const index = parts[i + 1];
    if (index === undefined) return element;
    if (!/^\d+$/.test(index)) return undefined;
    const item: unknown = element.Value?.[Number(index)];
    current = typeof item === 'object' && item !== null ? (item as DicomJson) : undefined;
  }
  return element;
}

/** Reads the Image Pixel attributes; an instance without pixel data has no frames (→ not-found). */
export function describePixels(parsed: ParsedInstance): PixelDescription {
  const { dataset } = parsed;
  const pixelPath = PIXEL_TAGS.find((tag) => dataset[tag] !== undefined || parsed.bulk.has(tag));
  if (pixelPath === undefined) {
    throw new AppError('not-found', `instance ${parsed.sopInstanceUid} has no pixel data, so no frames`);
  }
  const rows = numberAt(dataset, '00280010');
  const columns = numberAt(dataset, '00280011');
  const bitsAllocated = numberAt(dataset, '00280100');
  if (!rows || !columns || !bitsAllocated) {
    throw new AppError('unprocessable', 'pixel data without Rows, Columns or Bits Allocated (PS3.3 C.7.6.3)');
  }
  return {
    rows,
    columns,
    samplesPerPixel: numberAt(dataset, '00280002') ?? 1,
    bitsAllocated,
    photometricInterpretation: stringAt(dataset, '00280004') ?? 'MONOCHROME2',
    numberOfFrames: Math.max(1, parsed.numberOfFrames),
    pixelPath,
    pixelVr: dataset[pixelPath]?.vr ?? (bitsAllocated > 8 ? 'OW' : 'OB'),
  };
}

/**
 * Bits in one native frame (PS3.5 §8.1.1, §8.2). YBR_FULL_422 and YBR_PARTIAL_422 uncompressed carry two
 * chrominance samples per pair of pixels (PS3.3 C.7.6.3.1.2), so 2 values per pixel, not 3.
 */
export function frameBits(pixels: PixelDescription): number {
  const subsampled = /^YBR_(FULL|PARTIAL)_422$/.test(pixels.photometricInterpretation);
  const samples = subsampled && pixels.samplesPerPixel === 3 ? 2 : pixels.samplesPerPixel;
  return pixels.rows * pixels.columns * samples * pixels.bitsAllocated;
}
