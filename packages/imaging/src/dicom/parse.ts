import { inflateRawSync } from 'node:zlib';
import { isAppError } from '@yiyun/fhir';
import type { DicomJson } from '../service/port.ts';
import { charsetDecoder } from './charset.ts';
import { readDataset } from './dataset-reader.ts';
import { invalidDicom, tooLargeDicom, transferSyntaxNotSupported } from './errors.ts';
import { type FileMeta, NOT_PART10, readFileMeta } from './file-meta.ts';
import { type InstanceUids, instanceUids, refuseDirectory } from './instance-uids.ts';
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

/**
 * Parses and checks one DICOM Part 10 instance (PS3.10 §7). Throws `AppError` `invalid`, `unsupported`
 * or `too-large` with a reason fit for the sender (docs/dicom-conformance.md lists them). Values are not
 * copied: bulk data stays in `bytes`, located by `bulk`. Deviations real PACS tolerate (File Meta
 * without group length, Transfer Syntax or Media Storage UIDs, or with UIDs that differ from the
 * dataset's; a bare dataset without preamble and File Meta) are accepted with `warnings`.
 */
export function parsePart10(bytes: Uint8Array, options: ParseOptions = {}): ParsedInstance {
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  if (bytes.length > maxBytes)
    throw tooLargeDicom(`the instance is ${bytes.length} bytes, over the ${maxBytes}-byte limit`);
  const meta = readFileMeta(bytes);
  const ts = checkTransferSyntax(meta.transferSyntaxUid);
  refuseDirectory(meta.mediaStorageSopClassUid);
  const warnings = [...meta.warnings];
  const { dataset, bulk, uids } = meta.bare
    ? asBareDataset(ts, () => decodeInstance(bytes, { meta, ts, options, warnings }))
    : decodeInstance(bytes, { meta, ts, options, warnings });
  return {
    transferSyntaxUid: ts.uid,
    ...uids,
    dataset,
    bulk,
    numberOfFrames: framesOf(dataset),
    patient: patientOf(dataset),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

interface Decoding {
  readonly meta: FileMeta;
  readonly ts: TransferSyntax;
  readonly options: ParseOptions;
  readonly warnings: string[];
}

function decodeInstance(
  bytes: Uint8Array,
  { meta, ts, options, warnings }: Decoding,
): { dataset: DicomJson; bulk: Map<string, BulkRange>; uids: InstanceUids } {
  const { dataset, bulk } = decodeDataset(bytes, meta, ts, options);
  return { dataset, bulk, uids: instanceUids(dataset, meta, warnings) };
}

/**
 * Input without `DICM` passed a strict check of its first element (syntax-sniff.ts); it is accepted
 * only if the whole dataset parses with its required UIDs, so a cut-off or foreign file is never
 * mistaken for a bare dataset. A failure says both why it is not Part 10 and why it is no dataset.
 */
function asBareDataset<T>(ts: TransferSyntax, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (!isAppError(err) || err.code !== 'invalid') throw err;
    throw invalidDicom(
      `${NOT_PART10}, and read as a bare dataset (${ts.name}) it is not valid: ${err.message}`,
    );
  }
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

/** Number of Frames (0028,0008); 1 for a single-frame image, 0 for an instance without pixel data. */
function framesOf(dataset: DicomJson): number {
  const n = dataset['00280008']?.Value?.[0];
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1) return n;
  const hasPixels = dataset['7FE00010'] ?? dataset['7FE00008'] ?? dataset['7FE00009'];
  return hasPixels ? 1 : 0;
}
