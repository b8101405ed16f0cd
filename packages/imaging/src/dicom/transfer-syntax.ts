/**
 * Transfer syntaxes accepted for storage (PS3.5 §10 and Annex A; UIDs from PS3.6 Annex A). Storage keeps
 * the bytes exactly as received whatever the syntax; decoding pixels is the renderer's concern.
 */
export interface TransferSyntax {
  readonly uid: string;
  readonly name: string;
  readonly explicitVr: boolean;
  readonly littleEndian: boolean;
  /** The dataset after the File Meta group is a raw deflate stream (PS3.5 §A.5). */
  readonly deflated: boolean;
  /** Pixel Data is encapsulated in fragments (PS3.5 §A.4). */
  readonly encapsulated: boolean;
}

const native = (uid: string, name: string, explicitVr: boolean, littleEndian: boolean): TransferSyntax => ({
  uid,
  name,
  explicitVr,
  littleEndian,
  deflated: false,
  encapsulated: false,
});
const encapsulated = (uid: string, name: string): TransferSyntax => ({
  uid,
  name,
  explicitVr: true,
  littleEndian: true,
  deflated: false,
  encapsulated: true,
});

export const TRANSFER_SYNTAXES: ReadonlyMap<string, TransferSyntax> = new Map(
  [
    native('1.2.840.10008.1.2', 'Implicit VR Little Endian', false, true),
    native('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', true, true),
    native('1.2.840.10008.1.2.2', 'Explicit VR Big Endian (retired)', true, false),
    { ...native('1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', true, true), deflated: true },
    encapsulated('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)'),
    encapsulated('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)'),
    encapsulated('1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)'),
    encapsulated('1.2.840.10008.1.2.4.70', 'JPEG Lossless, First-Order Prediction (Process 14 SV1)'),
    encapsulated('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless'),
    encapsulated('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless'),
    encapsulated('1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)'),
    encapsulated('1.2.840.10008.1.2.4.91', 'JPEG 2000'),
    encapsulated('1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)'),
    encapsulated('1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL (Lossless Only)'),
    encapsulated('1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000'),
    encapsulated('1.2.840.10008.1.2.5', 'RLE Lossless'),
  ].map((ts) => [ts.uid, ts]),
);

export function transferSyntaxOf(uid: string): TransferSyntax | undefined {
  return TRANSFER_SYNTAXES.get(uid);
}

/** The supported list in words, for error messages and docs/dicom-conformance.md. */
export const SUPPORTED_TRANSFER_SYNTAXES_SUMMARY =
  'implicit VR little endian, explicit VR little endian, explicit VR big endian (retired), deflated explicit ' +
  'VR little endian, JPEG baseline/extended/lossless, JPEG-LS, JPEG 2000, HTJ2K, RLE lossless';
