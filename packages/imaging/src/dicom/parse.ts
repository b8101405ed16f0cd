import { inflateRawSync } from 'node:zlib';
import type { DicomJson } from '../service/port.ts';
import { charsetDecoder } from './charset.ts';
import { readDataset } from './dataset-reader.ts';
import { invalidDicom, sopClassNotSupported, tooLargeDicom, transferSyntaxNotSupported } from './errors.ts';
import { type FileMeta, readFileMeta } from './file-meta.ts';
import { patientOf } from './patient.ts';
import type { ParsedInstance } from './port.ts';
import type { BulkRange, ReadContext, ReadLimits } from './read-context.ts';
import { type TransferSyntax, transferSyntaxOf } from './transfer-syntax.ts';
import { uidProblem } from './uid.ts';

export interface ParseOptions {
  /** Largest accepted input (and inflated dataset) in bytes; default 2 GiB. */
  readonly maxBytes?: number;
  /** Largest number of data elements, items and fragments; default 250,000 (an enhanced multi-frame
   *  instance has ~30 per frame). */
  readonly maxElements?: number;
  /** Deepest sequence nesting; default 64. */
  readonly maxDepth?: number;
}

const DEFAULTS = { maxBytes: 2 ** 31, maxElements: 250_000, maxDepth: 64 };
/** PS3.18 §F.2.6 leaves the threshold to the origin server; 1 KiB keeps metadata small. */
const INLINE_BINARY_MAX = 1024;
const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

/**
 * Parses and checks one DICOM Part 10 instance (PS3.10 §7). Throws `AppError` `invalid`, `unsupported`
 * or `too-large` with a reason fit for the sender (docs/dicom-conformance.md lists them). Values are not
 * copied: bulk data stays in `bytes`, located by `bulk`.
 */
export function parsePart10(bytes: Uint8Array, options: ParseOptions = {}): ParsedInstance {
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  if (bytes.length > maxBytes)
    throw tooLargeDicom(`the instance is ${bytes.length} bytes, over the ${maxBytes}-byte limit`);
  const meta = readFileMeta(bytes);
  const ts = checkTransferSyntax(meta.transferSyntaxUid);
  if (meta.mediaStorageSopClassUid === MEDIA_STORAGE_DIRECTORY) {
    throw sopClassNotSupported(
      MEDIA_STORAGE_DIRECTORY,
      'a Media Storage Directory (DICOMDIR) is not an image or document',
    );
  }
  const { dataset, bulk } = decodeDataset(bytes, meta, ts, options);
  const uids = checkUids(dataset, meta);
  return {
    transferSyntaxUid: ts.uid,
    ...uids,
    dataset,
    bulk,
    numberOfFrames: framesOf(dataset),
    patient: patientOf(dataset),
  };
}

/**
 * The bytes of one bulk data value (`path` as in `ParsedInstance.bulk`), for every transfer syntax:
 * a slice of `part10` normally; for the deflated syntax, whose values have no offset in the stored
 * bytes, a slice of the inflated dataset.
 */
export function readBulkValue(
  part10: Uint8Array,
  path: string,
  options: ParseOptions = {},
): Uint8Array | undefined {
  const meta = readFileMeta(part10);
  const ts = checkTransferSyntax(meta.transferSyntaxUid);
  if (!ts.deflated) {
    const range = decodeDataset(part10, meta, ts, options).bulk.get(path);
    return range && part10.subarray(range.offset, range.offset + range.length);
  }
  const inflated = inflate(part10.subarray(meta.datasetOffset), options.maxBytes ?? DEFAULTS.maxBytes);
  const range = walk(inflated, ts, options, true).bulk.get(path);
  return range && inflated.subarray(range.offset, range.offset + range.length);
}

function checkTransferSyntax(uid: string): TransferSyntax {
  const ts = transferSyntaxOf(uid);
  if (ts) return ts;
  const problem = uidProblem(uid);
  if (problem) throw invalidDicom(`Transfer Syntax UID (0002,0010) ${problem}`);
  throw transferSyntaxNotSupported(uid);
}

function decodeDataset(
  bytes: Uint8Array,
  meta: FileMeta,
  ts: TransferSyntax,
  options: ParseOptions,
): { dataset: DicomJson; bulk: Map<string, BulkRange> } {
  if (ts.deflated) {
    // PS3.5 §A.5: the dataset is a raw deflate stream; offsets in it are not offsets in the stored bytes.
    const inflated = inflate(bytes.subarray(meta.datasetOffset), options.maxBytes ?? DEFAULTS.maxBytes);
    return { dataset: walk(inflated, ts, options, false).dataset, bulk: new Map() };
  }
  return walk(bytes, ts, options, true, meta.datasetOffset);
}

function walk(
  bytes: Uint8Array,
  ts: TransferSyntax,
  options: ParseOptions,
  offsetsAreOriginal: boolean,
  start = 0,
): { dataset: DicomJson; bulk: Map<string, BulkRange> } {
  const limits: ReadLimits = {
    maxElements: options.maxElements ?? DEFAULTS.maxElements,
    maxDepth: options.maxDepth ?? DEFAULTS.maxDepth,
    inlineBinaryMax: INLINE_BINARY_MAX,
  };
  const ctx: ReadContext = {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    littleEndian: ts.littleEndian,
    explicitVr: ts.explicitVr && !isImplicitInstead(bytes, ts, start),
    encapsulated: ts.encapsulated,
    offsetsAreOriginal,
    bulk: new Map(),
    limits,
    counter: { elements: 0 },
  };
  const { dataset } = readDataset(ctx, {
    start,
    end: bytes.length,
    path: '',
    depth: 0,
    decode: charsetDecoder([]),
    untilItemDelimiter: false,
  });
  return { dataset, bulk: ctx.bulk };
}

/**
 * Some writers label an implicit VR little endian dataset with an explicit VR syntax. dcmtk and pydicom
 * detect it from the first element; so do we, so that such instances are stored rather than refused.
 */
function isImplicitInstead(bytes: Uint8Array, ts: TransferSyntax, start: number): boolean {
  if (!ts.littleEndian || bytes.length < start + 8) return false;
  const isUpper = (b: number | undefined): boolean => b !== undefined && b >= 0x41 && b <= 0x5a;
  return !isUpper(bytes[start + 4]) || !isUpper(bytes[start + 5]);
}

function inflate(deflated: Uint8Array, maxBytes: number): Uint8Array {
  try {
    const out = inflateRawSync(deflated, { maxOutputLength: maxBytes });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLargeDicom(`the deflated dataset inflates to more than ${maxBytes} bytes`);
    throw invalidDicom(
      `the deflated dataset does not inflate (${code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt'})`,
    );
  }
}

const REQUIRED = [
  ['sopClassUid', '00080016', 'SOP Class UID (0008,0016)'],
  ['sopInstanceUid', '00080018', 'SOP Instance UID (0008,0018)'],
  ['studyUid', '0020000D', 'Study Instance UID (0020,000D)'],
  ['seriesUid', '0020000E', 'Series Instance UID (0020,000E)'],
] as const;

function checkUids(
  dataset: DicomJson,
  meta: FileMeta,
): { sopClassUid: string; sopInstanceUid: string; studyUid: string; seriesUid: string } {
  const uids = { sopClassUid: '', sopInstanceUid: '', studyUid: '', seriesUid: '' };
  for (const [field, tag, name] of REQUIRED) {
    const values = dataset[tag]?.Value ?? [];
    const uid = values[0];
    if (typeof uid !== 'string') throw invalidDicom(`missing ${name}`);
    if (values.length > 1) throw invalidDicom(`${name} has ${values.length} values; it must have one`);
    const problem = uidProblem(uid);
    if (problem) throw invalidDicom(`${name} "${uid.slice(0, 80)}" is not a valid UID: it ${problem}`);
    uids[field] = uid;
  }
  if (meta.mediaStorageSopClassUid !== uids.sopClassUid) {
    throw invalidDicom(
      `Media Storage SOP Class UID (0002,0002) ${meta.mediaStorageSopClassUid.slice(0, 80)} does not match ` +
        `SOP Class UID (0008,0016) ${uids.sopClassUid}`,
    );
  }
  if (meta.mediaStorageSopInstanceUid !== uids.sopInstanceUid) {
    throw invalidDicom(
      `Media Storage SOP Instance UID (0002,0003) ${meta.mediaStorageSopInstanceUid.slice(0, 80)} does not match ` +
        `SOP Instance UID (0008,0018) ${uids.sopInstanceUid}`,
    );
  }
  return uids;
}

/** Number of Frames (0028,0008); 1 for a single-frame image, 0 for an instance without pixel data. */
function framesOf(dataset: DicomJson): number {
  const n = dataset['00280008']?.Value?.[0];
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1) return n;
  const hasPixels = dataset['7FE00010'] ?? dataset['7FE00008'] ?? dataset['7FE00009'];
  return hasPixels ? 1 : 0;
}
