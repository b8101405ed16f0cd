import type { Rng } from '../random/prng.ts';

/**
 * A DICOM UID under the 2.25 arc (ISO/IEC 9834-8 / PS3.5 §B.2): "2.25." + a UUID read as one
 * unsigned 128-bit decimal integer. The UUID is a random (version 4, RFC 4122 variant) one drawn from
 * the seeded stream, so UIDs are unique and reproducible. At most 44 characters: a valid FHIR id too.
 */
export function dicomUid(rng: Rng): string {
  const w0 = rng.uint32();
  const w1 = (rng.uint32() & 0xffff0fff) | 0x00004000; // version 4 in the time_hi nibble
  const w2 = ((rng.uint32() & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant bits 10
  const w3 = rng.uint32();
  const value = (BigInt(w0) << 96n) | (BigInt(w1 >>> 0) << 64n) | (BigInt(w2) << 32n) | BigInt(w3);
  return `2.25.${value.toString()}`;
}
