import { hasLongLength, isKnownVr } from './element-header.ts';
import { UNDEFINED_LENGTH } from './read-context.ts';

/**
 * The encoding of a dataset whose File Meta Information does not name it (no Transfer Syntax UID
 * (0002,0010), or no File Meta at all), told from its first element as dcmtk and pydicom do: explicit
 * VR when bytes 4–5 are a VR code (PS3.5 Table 6.2-1), else implicit; little endian unless the group
 * number only makes sense byte-swapped (bytes `00 08` are group 0x0008 in big endian, a group 0x0800
 * no dataset has). A dataset starting in group 0x1000–0xFF00 with a zero low byte would be misread;
 * no standard attribute that can come first lives there.
 */
export interface SniffedEncoding {
  readonly explicitVr: boolean;
  readonly littleEndian: boolean;
}

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';

export function sniffEncoding(bytes: Uint8Array, at: number): SniffedEncoding | undefined {
  if (bytes.length - at < 8) return undefined;
  const explicitVr = isKnownVr(bytes[at + 4], bytes[at + 5]);
  const littleEndian = !(bytes[at] === 0 && bytes[at + 1] !== 0);
  return { explicitVr, littleEndian };
}

/** The transfer syntax UID of a sniffed encoding; none for implicit VR big endian, which PS3.5 lacks. */
export function transferSyntaxOfEncoding(e: SniffedEncoding): string | undefined {
  if (e.littleEndian) return e.explicitVr ? EXPLICIT_LE : IMPLICIT_LE;
  return e.explicitVr ? EXPLICIT_BE : undefined;
}

/**
 * Strict check for a dataset sent without preamble, `DICM` and File Meta (legacy writers, old CDs):
 * it must begin with a complete, plausible element — group 0x0008 (either byte order) or a File Meta
 * element (0002,xxxx) in explicit VR little endian — whose value fits in the input. Anything else is
 * not taken for DICOM (text, JSON, archives, a cut-off preamble). Passing this is not acceptance: the
 * whole dataset must then parse, with its required UIDs.
 */
export function sniffBareDataset(bytes: Uint8Array): SniffedEncoding | undefined {
  const e = sniffEncoding(bytes, 0);
  if (!e || !transferSyntaxOfEncoding(e)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const group = view.getUint16(0, e.littleEndian);
  const isMeta = group === 0x0002 && e.littleEndian && e.explicitVr;
  if (group !== 0x0008 && !isMeta) return undefined;
  const valueEnd = firstValueEnd(bytes, view, e);
  return valueEnd !== undefined && valueEnd <= bytes.length ? e : undefined;
}

/** Where the value of the element at byte 0 ends; undefined for an undefined or malformed length. */
function firstValueEnd(bytes: Uint8Array, view: DataView, e: SniffedEncoding): number | undefined {
  if (!e.explicitVr) {
    const length = view.getUint32(4, e.littleEndian);
    return length === UNDEFINED_LENGTH ? undefined : 8 + length;
  }
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  if (!hasLongLength(vr)) return 8 + view.getUint16(6, e.littleEndian);
  // PS3.5 §7.1.2: the 2 bytes after a long-form VR are reserved, 0000H.
  if (bytes.length < 12 || view.getUint16(6, e.littleEndian) !== 0) return undefined;
  const length = view.getUint32(8, e.littleEndian);
  return length === UNDEFINED_LENGTH ? undefined : 12 + length;
}
