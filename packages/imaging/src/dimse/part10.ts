import { readFileMeta } from '../dicom/file-meta.ts';

/**
 * Part 10 framing of a C-STORE dataset and back (PS3.10 §7.1). A C-STORE carries the bare dataset in
 * the negotiated transfer syntax; the platform stores Part 10 files, so the edge adds the preamble, `DICM`
 * and a File Meta Information group (always explicit VR little endian) in front of the received bytes,
 * which stay exactly as they arrived (deflated or encapsulated ones included).
 */
export interface FileMetaFields {
  readonly transferSyntaxUid: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /**
   * The calling AE: Source (0002,0016) and Sending (0002,0017) Application Entity Title, as dcmtk's
   * storescp records it.
   */
  readonly sourceAeTitle: string;
  /** Receiving Application Entity Title (0002,0018): our AE. */
  readonly receivingAeTitle?: string;
  readonly implementationClassUid?: string;
  readonly implementationVersionName?: string;
}

/** Yiyun's Implementation Class UID (a UUID-derived UID under 2.25, PS3.5 §B.2). */
export const IMPLEMENTATION_CLASS_UID = '2.25.65428997020576040946447798507899976822';
/** Implementation Version Name (SH, at most 16 characters). */
export const IMPLEMENTATION_VERSION_NAME = 'YIYUN_DIMSE_1';

const PREAMBLE = 128;
/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 §7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

function element(element: number, vr: string, value: Uint8Array): Uint8Array {
  const long = LONG_VRS.has(vr);
  const header = long ? 12 : 8;
  const out = new Uint8Array(header + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, element, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, value.length, true);
  else view.setUint16(6, value.length, true);
  out.set(value, header);
  return out;
}

/** A text value padded to even length: UI with NUL, the other string VRs with a space (PS3.5 §6.2). */
function text(value: string, vr: 'UI' | 'SH' | 'AE'): Uint8Array {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = vr === 'UI' ? 0x00 : 0x20;
  return padded;
}

/** The File Meta Information group, group length first (PS3.10 Table 7.1-1). */
export function fileMetaGroup(fields: FileMetaFields): Uint8Array {
  const elements = [
    element(0x0001, 'OB', new Uint8Array([0x00, 0x01])),
    element(0x0002, 'UI', text(fields.sopClassUid, 'UI')),
    element(0x0003, 'UI', text(fields.sopInstanceUid, 'UI')),
    element(0x0010, 'UI', text(fields.transferSyntaxUid, 'UI')),
    element(0x0012, 'UI', text(fields.implementationClassUid ?? IMPLEMENTATION_CLASS_UID, 'UI')),
    element(0x0013, 'SH', text(fields.implementationVersionName ?? IMPLEMENTATION_VERSION_NAME, 'SH')),
    element(0x0016, 'AE', text(fields.sourceAeTitle, 'AE')),
    element(0x0017, 'AE', text(fields.sourceAeTitle, 'AE')),
  ];
  if (fields.receivingAeTitle) elements.push(element(0x0018, 'AE', text(fields.receivingAeTitle, 'AE')));
  const length = elements.reduce((sum, e) => sum + e.length, 0);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, length, true);
  return concat([element(0x0000, 'UL', groupLength), ...elements]);
}

/** Preamble + `DICM` + File Meta + the dataset bytes as received. */
export function buildPart10(dataset: Uint8Array, fields: FileMetaFields): Uint8Array {
  const meta = fileMetaGroup(fields);
  const out = new Uint8Array(PREAMBLE + 4 + meta.length + dataset.length);
  out.set([0x44, 0x49, 0x43, 0x4d], PREAMBLE);
  out.set(meta, PREAMBLE + 4);
  out.set(dataset, PREAMBLE + 4 + meta.length);
  return out;
}

/** The dataset of a stored Part 10 object (a view, no copy) and the transfer syntax it is encoded in. */
export function part10Dataset(bytes: Uint8Array): {
  readonly transferSyntaxUid: string;
  readonly dataset: Uint8Array;
} {
  const meta = readFileMeta(bytes);
  return { transferSyntaxUid: meta.transferSyntaxUid, dataset: bytes.subarray(meta.datasetOffset) };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
