import { AppError } from '@yiyun/fhir';
import dcmjsCodecs from 'dcmjs-codecs';
import { encode as encodePng } from 'fast-png';
import type { Raster } from './resize.ts';

export type RenderedMediaType = 'image/jpeg' | 'image/png';

/** Baseline JPEG (JFIF, YCbCr 4:4:4 for colour, one component for grey) or PNG of an 8-bit raster. */
export function encodeRaster(raster: Raster, format: RenderedMediaType, quality: number): Uint8Array {
  if (raster.channels !== 1 && raster.channels !== 3) {
    throw new AppError('internal', `cannot encode a raster of ${raster.channels} channels`);
  }
  if (format === 'image/png') {
    return encodePng({
      width: raster.width,
      height: raster.height,
      data: raster.data,
      channels: raster.channels,
      depth: 8,
    });
  }
  const { Context, NativeCodecs } = dcmjsCodecs;
  const context = new Context({
    width: raster.width,
    height: raster.height,
    bitsAllocated: 8,
    bitsStored: 8,
    samplesPerPixel: raster.channels,
    pixelRepresentation: 0,
    planarConfiguration: 0,
    photometricInterpretation: raster.channels === 1 ? 'MONOCHROME2' : 'RGB',
    decodedBuffer: raster.data,
  });
  const encoded = NativeCodecs.encodeJpeg(context, { lossy: true, quality }).getEncodedBuffer();
  if (encoded === undefined || encoded.length === 0)
    throw new AppError('internal', 'the JPEG encoder gave no data');
  return encoded;
}
