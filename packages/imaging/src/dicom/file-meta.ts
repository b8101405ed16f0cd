import { decodeLatin1 } from './charset.ts';
import { type HeaderSource, readElementHeader } from './element-header.ts';
import { invalidDicom } from './errors.ts';
import { tagLabel, UNDEFINED_LENGTH } from './read-context.ts';
import { sniffBareDataset, sniffEncoding, transferSyntaxOfEncoding } from './syntax-sniff.ts';
import { transferSyntaxOf } from './transfer-syntax.ts';

/** What the File Meta Information (PS3.10 §7.1) says of the dataset that follows it. */
export interface FileMeta {
  /** Transfer Syntax UID (0002,0010), or the one detected from the first element when it is absent. */
  readonly transferSyntaxUid: string;
  readonly mediaStorageSopClassUid?: string;
  readonly mediaStorageSopInstanceUid?: string;
  /** Byte offset of the dataset (the first byte after the File Meta group). */
  readonly datasetOffset: number;
  /** No preamble and `DICM`: a bare dataset, acceptable only if it parses completely (see parse.ts). */
  readonly bare: boolean;
  /** At least one (0002,xxxx) element was found. */
  readonly hasMetaGroup: boolean;
  /** Deviations tolerated, for the sender (short texts without personal data). */
  readonly warnings: readonly string[];
}

const PREAMBLE = 128;
const META_START = PREAMBLE + 4;
const GROUP_LENGTH = 0x00020000;
const MEDIA_SOP_CLASS = 0x00020002;
const MEDIA_SOP_INSTANCE = 0x00020003;
const TRANSFER_SYNTAX = 0x00020010;

export const NOT_PART10 = 'not a DICOM Part 10 file: no DICM prefix at byte 128';

/** Reads a UI value: trailing NUL and space padding removed (PS3.5 §6.2, §9.1). */
export function uidValue(bytes: Uint8Array, offset: number, length: number): string {
  return decodeLatin1(bytes.subarray(offset, offset + length)).replace(/[\0 ]+$/, '');
}

function hasPrefix(bytes: Uint8Array): boolean {
  return (
    bytes.length >= META_START &&
    bytes[PREAMBLE] === 0x44 && // D
    bytes[PREAMBLE + 1] === 0x49 && // I
    bytes[PREAMBLE + 2] === 0x43 && // C
    bytes[PREAMBLE + 3] === 0x4d // M
  );
}

interface MetaGroup {
  readonly uids: Map<number, string>;
  readonly end: number;
  readonly found: boolean;
}

/**
 * Finds the dataset and its transfer syntax. A Part 10 file has the preamble, `DICM` and the File Meta
 * group (explicit VR little endian, PS3.10 §7.1). Tolerated as dcmtk, pydicom and Orthanc do, each with
 * a warning: a File Meta group without its group length (0002,0000) — read until the group changes —,
 * without Transfer Syntax UID — detected from the first dataset element —, and no preamble, `DICM` or
 * File Meta at all when the input strictly begins like a dataset. A group length that is present must
 * be right: one that lies is refused.
 */
export function readFileMeta(bytes: Uint8Array): FileMeta {
  const warnings: string[] = [];
  const bare = !hasPrefix(bytes);
  if (bare && !sniffBareDataset(bytes)) {
    const size = bytes.length < META_START ? ` (the input is only ${bytes.length} bytes)` : '';
    throw invalidDicom(
      `${NOT_PART10}${size}, and it does not begin like a bare dataset (an element of group 0008 or 0002)`,
    );
  }
  const ctx: HeaderSource = {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    littleEndian: true,
    explicitVr: true,
  };
  const group = readMetaGroup(ctx, bare ? 0 : META_START, warnings);
  if (!bare && !group.found) warnings.push('no File Meta Information after the DICM prefix');
  if (bare && group.found) warnings.push('no preamble or DICM prefix before the File Meta Information');
  const declared = group.uids.get(TRANSFER_SYNTAX) || undefined;
  const transferSyntaxUid = declared ?? detectTransferSyntax(bytes, group, { bare, warnings });
  const sopClass = group.uids.get(MEDIA_SOP_CLASS) || undefined;
  const sopInstance = group.uids.get(MEDIA_SOP_INSTANCE) || undefined;
  return {
    transferSyntaxUid,
    ...(sopClass === undefined ? {} : { mediaStorageSopClassUid: sopClass }),
    ...(sopInstance === undefined ? {} : { mediaStorageSopInstanceUid: sopInstance }),
    datasetOffset: group.end,
    bare,
    hasMetaGroup: group.found,
    warnings,
  };
}

function readMetaGroup(ctx: HeaderSource, start: number, warnings: string[]): MetaGroup {
  const { bytes } = ctx;
  if (bytes.length - start < 2 || ctx.view.getUint16(start, true) !== 0x0002) {
    return { uids: new Map(), end: start, found: false };
  }
  const first = readElementHeader(ctx, start, bytes.length);
  if (first.tag !== GROUP_LENGTH) {
    warnings.push('File Meta Information has no group length (0002,0000)');
    return walkGroup(ctx, start, bytes.length, undefined);
  }
  if (first.vr !== 'UL' || first.length !== 4) {
    throw invalidDicom(
      `File Meta Information Group Length (0002,0000) is malformed: ${first.vr} of ${first.length} bytes, not UL of 4`,
    );
  }
  const groupLength = ctx.view.getUint32(first.valueOffset, true);
  const metaEnd = first.valueOffset + 4 + groupLength;
  if (metaEnd > bytes.length) {
    throw invalidDicom(
      `File Meta group length ${groupLength} runs past the end of the ${bytes.length}-byte input`,
    );
  }
  const group = walkGroup(ctx, first.valueOffset + 4, metaEnd, groupLength);
  if (metaEnd + 2 <= bytes.length && ctx.view.getUint16(metaEnd, true) === 0x0002) {
    throw invalidDicom(
      `File Meta group length ${groupLength} is wrong: a (0002,xxxx) element follows at byte ${metaEnd}`,
    );
  }
  return group;
}

/**
 * The (0002,xxxx) elements from `start`: up to `end` when the group length is known (each must lie
 * within it), else until the first element of another group.
 */
function walkGroup(
  ctx: HeaderSource,
  start: number,
  end: number,
  groupLength: number | undefined,
): MetaGroup {
  const { bytes, view } = ctx;
  const uids = new Map<number, string>();
  const wrong = `File Meta group length ${groupLength} is wrong`;
  let pos = start;
  while (pos < end) {
    if (groupLength === undefined && (end - pos < 2 || view.getUint16(pos, true) !== 0x0002)) break;
    const h = readElementHeader(ctx, pos, bytes.length);
    if (h.tag >>> 16 !== 0x0002)
      throw invalidDicom(`${wrong}: ${tagLabel(h.tag)} at byte ${pos} is inside it`);
    if (h.length === UNDEFINED_LENGTH) {
      throw invalidDicom(`File Meta element ${tagLabel(h.tag)} at byte ${pos} has an undefined length`);
    }
    if (h.valueOffset + h.length > end) {
      throw invalidDicom(`${wrong}: ${tagLabel(h.tag)} at byte ${pos} crosses its end`);
    }
    if (h.vr === 'UI') uids.set(h.tag, uidValue(bytes, h.valueOffset, h.length));
    pos = h.valueOffset + h.length;
  }
  return { uids, end: pos, found: true };
}

function detectTransferSyntax(
  bytes: Uint8Array,
  group: MetaGroup,
  { bare, warnings }: { bare: boolean; warnings: string[] },
): string {
  const at = group.end;
  if (at === bytes.length) {
    throw invalidDicom('missing dataset: nothing follows the File Meta Information');
  }
  const encoding = sniffEncoding(bytes, at);
  const uid = encoding && transferSyntaxOfEncoding(encoding);
  if (!uid) {
    throw invalidDicom(
      `File Meta Information has no Transfer Syntax UID (0002,0010) and the dataset at byte ${at} is in no ` +
        'encoding that can be detected',
    );
  }
  const name = transferSyntaxOf(uid)?.name ?? uid;
  warnings.push(
    bare && !group.found
      ? `no preamble, DICM prefix or File Meta Information: read as a bare dataset in ${name}, detected from its first element`
      : `File Meta Information has no Transfer Syntax UID (0002,0010): read as ${name}, detected from the first element`,
  );
  return uid;
}
