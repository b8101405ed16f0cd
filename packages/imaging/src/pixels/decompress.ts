import { AppError } from '@yiyun/fhir';
import dcmjsCodecs from 'dcmjs-codecs';
import { initPixelCodecs } from './codecs.ts';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/**
 * A Part 10 instance whose pixel data is encapsulated (JPEG, JPEG-LS, JPEG 2000, RLE …), decoded to
 * Explicit VR Little Endian (PS3.5 §A.2) for a peer that accepts only native pixel data. Every other
 * attribute is kept; a lossy original stays marked as such (Lossy Image Compression (0028,2110) is not
 * touched). Refused with `unsupported` when the codecs cannot decode it.
 */
export async function decompressPart10(part10: Uint8Array): Promise<Uint8Array> {
  await initPixelCodecs();
  const copy = part10.buffer.slice(part10.byteOffset, part10.byteOffset + part10.byteLength) as ArrayBuffer;
  try {
    const transcoder = new dcmjsCodecs.Transcoder(copy);
    transcoder.transcode(EXPLICIT_VR_LITTLE_ENDIAN);
    return new Uint8Array(transcoder.getDicomPart10());
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError('unsupported', `the pixel data cannot be decoded to native: ${why}`, { cause: err });
  }
}
