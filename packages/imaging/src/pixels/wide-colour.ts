import { AppError } from '@yiyun/fhir';
import dcmjsCodecs from 'dcmjs-codecs';
import dcmjsImaging from 'dcmjs-imaging';

type DicomImage = InstanceType<typeof dcmjsImaging.DicomImage>;

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/**
 * dcmjs-imaging reads colour samples as bytes, so colour with 16 bits allocated renders as noise. Such an
 * instance is decoded to native little endian (dcmjs-codecs), each sample reduced to its 8 most significant
 * stored bits, and handed back as an 8-bit image of the same photometric interpretation (PS3.3 C.7.6.3.1.2).
 */
export function narrowWideColour(buffer: ArrayBuffer): DicomImage {
  const transcoder = new dcmjsCodecs.Transcoder(buffer);
  try {
    transcoder.transcode(EXPLICIT_VR_LITTLE_ENDIAN);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError('unsupported', `colour pixel data of this depth cannot be rendered: ${why}`, {
      cause: err,
    });
  }
  const elements = transcoder.getElements();
  const bitsAllocated = Number(elements['BitsAllocated']);
  const bitsStored = Number(elements['BitsStored']) || bitsAllocated;
  const pixelData = elements['PixelData'];
  const first: unknown = Array.isArray(pixelData) ? pixelData[0] : undefined;
  if (bitsAllocated !== 16 || !(first instanceof ArrayBuffer)) {
    throw new AppError(
      'unsupported',
      `colour pixel data of ${bitsAllocated} bits allocated cannot be rendered`,
    );
  }
  const samples = new Uint16Array(first, 0, Math.floor(first.byteLength / 2));
  const narrow = new Uint8Array(samples.length);
  const mask = (1 << bitsStored) - 1;
  const shift = Math.max(0, bitsStored - 8);
  for (let i = 0; i < samples.length; i++) narrow[i] = (samples[i]! & mask) >> shift;
  return new dcmjsImaging.DicomImage(
    { ...elements, BitsAllocated: 8, BitsStored: 8, HighBit: 7, PixelData: [narrow.buffer] },
    EXPLICIT_VR_LITTLE_ENDIAN,
  );
}
