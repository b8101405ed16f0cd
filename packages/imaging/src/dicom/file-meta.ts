import { decodeLatin1 } from './charset.ts';
import { type HeaderSource, readElementHeader } from './element-header.ts';
import { invalidDicom } from './errors.ts';
import { tagLabel, UNDEFINED_LENGTH } from './read-context.ts';

/** What the File Meta Information (PS3.10 §7.1) says of the dataset that follows it. */
export interface FileMeta {
  readonly transferSyntaxUid: string;
  readonly mediaStorageSopClassUid: string;
  readonly mediaStorageSopInstanceUid: string;
  /** Byte offset of the dataset (the first byte after the File Meta group). */
  readonly datasetOffset: number;
}

const PREAMBLE = 128;
const META_START = PREAMBLE + 4;
const GROUP_LENGTH = 0x00020000;
const MEDIA_SOP_CLASS = 0x00020002;
const MEDIA_SOP_INSTANCE = 0x00020003;
const TRANSFER_SYNTAX = 0x00020010;

/** Reads a UI value: trailing NUL and space padding removed (PS3.5 §6.2, §9.1). */
export function uidValue(bytes: Uint8Array, offset: number, length: number): string {
  return decodeLatin1(bytes.subarray(offset, offset + length)).replace(/[\0 ]+$/, '');
}

function checkPrefix(bytes: Uint8Array): void {
  const hasPrefix =
    bytes.length >= META_START &&
    bytes[PREAMBLE] === 0x44 && // D
    bytes[PREAMBLE + 1] === 0x49 && // I
    bytes[PREAMBLE + 2] === 0x43 && // C
    bytes[PREAMBLE + 3] === 0x4d; // M
  if (!hasPrefix) {
    const size = bytes.length < META_START ? ` (the input is only ${bytes.length} bytes)` : '';
    throw invalidDicom(`not a DICOM Part 10 file: no DICM prefix at byte 128${size}`);
  }
}

/**
 * Checks the preamble, `DICM` and the File Meta group: explicit VR little endian, starting with a group
 * length that ends exactly at the last (0002,xxxx) element, with the Type 1 UIDs present.
 */
export function readFileMeta(bytes: Uint8Array): FileMeta {
  checkPrefix(bytes);
  const ctx: HeaderSource = {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    littleEndian: true,
    explicitVr: true,
  };
  const first = readElementHeader(ctx, META_START, bytes.length);
  if (first.tag !== GROUP_LENGTH || first.vr !== 'UL' || first.length !== 4) {
    throw invalidDicom(
      `File Meta Information Group Length (0002,0000) missing: the first element after DICM is ${tagLabel(first.tag)}`,
    );
  }
  const groupLength = ctx.view.getUint32(first.valueOffset, true);
  const metaEnd = first.valueOffset + 4 + groupLength;
  if (metaEnd > bytes.length) {
    throw invalidDicom(
      `File Meta group length ${groupLength} runs past the end of the ${bytes.length}-byte input`,
    );
  }
  const uids = new Map<number, string>();
  let pos = first.valueOffset + 4;
  while (pos < metaEnd) {
    const h = readElementHeader(ctx, pos, bytes.length);
    if (h.tag >>> 16 !== 0x0002) {
      throw invalidDicom(
        `File Meta group length ${groupLength} is wrong: ${tagLabel(h.tag)} at byte ${pos} is inside it`,
      );
    }
    if (h.length === UNDEFINED_LENGTH || h.valueOffset + h.length > metaEnd) {
      throw invalidDicom(
        `File Meta group length ${groupLength} is wrong: ${tagLabel(h.tag)} at byte ${pos} crosses its end`,
      );
    }
    if (h.vr === 'UI') uids.set(h.tag, uidValue(bytes, h.valueOffset, h.length));
    pos = h.valueOffset + h.length;
  }
  if (metaEnd + 2 <= bytes.length && ctx.view.getUint16(metaEnd, true) === 0x0002) {
    throw invalidDicom(
      `File Meta group length ${groupLength} is wrong: a (0002,xxxx) element follows at byte ${metaEnd}`,
    );
  }
  return {
    transferSyntaxUid: required(uids, TRANSFER_SYNTAX, 'Transfer Syntax UID'),
    mediaStorageSopClassUid: required(uids, MEDIA_SOP_CLASS, 'Media Storage SOP Class UID'),
    mediaStorageSopInstanceUid: required(uids, MEDIA_SOP_INSTANCE, 'Media Storage SOP Instance UID'),
    datasetOffset: metaEnd,
  };
}

function required(uids: Map<number, string>, tag: number, name: string): string {
  const value = uids.get(tag);
  if (!value) throw invalidDicom(`File Meta Information has no ${name} ${tagLabel(tag)}`);
  return value;
}
