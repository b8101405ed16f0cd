import { dictionaryEntry } from './dcmjs-dictionary.ts';
import { invalidDicom } from './errors.ts';
import { type ReadContext, tagLabel, truncated, UNDEFINED_LENGTH } from './read-context.ts';

/** One data element's header (PS3.5 §7.1). */
export interface ElementHeader {
  readonly tag: number;
  /** The explicit VR, or the dictionary's in implicit VR; `''` for items and delimiters. */
  readonly vr: string;
  /** Value length; `UNDEFINED_LENGTH` for undefined. */
  readonly length: number;
  readonly offset: number;
  readonly valueOffset: number;
}

/** What reading a header needs of the walk's context. */
export type HeaderSource = Pick<ReadContext, 'bytes' | 'view' | 'littleEndian' | 'explicitVr'>;

/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const SHORT_VRS = new Set([
  ...['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'PN', 'SH', 'SL', 'SS', 'ST'],
  ...['TM', 'UI', 'UL', 'US'],
]);

function isUpper(b: number): boolean {
  return b >= 0x41 && b <= 0x5a;
}

/** Whether two bytes spell a VR of PS3.5 Table 6.2-1: how the encoding of a dataset is sniffed. */
export function isKnownVr(c1: number | undefined, c2: number | undefined): boolean {
  if (c1 === undefined || c2 === undefined) return false;
  const vr = String.fromCharCode(c1, c2);
  return SHORT_VRS.has(vr) || LONG_VRS.has(vr);
}

/** Whether explicit VR uses the 2-byte reserved field and a 4-byte length for this VR (PS3.5 §7.1.2). */
export function hasLongLength(vr: string): boolean {
  return !SHORT_VRS.has(vr);
}

/**
 * Reads the header at `pos`, checking that the value fits before `end`. Never reads past `end`, so a
 * lying length gives a clear error instead of a huge allocation or a read out of bounds.
 */
export function readElementHeader(
  ctx: HeaderSource,
  pos: number,
  end: number,
  pixelRepresentation = 0,
): ElementHeader {
  if (end - pos < 8) throw truncated('data element header', pos, 8, end);
  const { view, littleEndian: le } = ctx;
  const group = view.getUint16(pos, le);
  const tag = ((group << 16) | view.getUint16(pos + 2, le)) >>> 0;
  if (group === 0xfffe)
    return { tag, vr: '', length: view.getUint32(pos + 4, le), offset: pos, valueOffset: pos + 8 };
  let header: ElementHeader;
  if (!ctx.explicitVr) {
    const length = view.getUint32(pos + 4, le);
    header = {
      tag,
      vr: implicitVr(tag, length, pixelRepresentation),
      length,
      offset: pos,
      valueOffset: pos + 8,
    };
  } else {
    header = explicitHeader(ctx, pos, end, tag);
  }
  if (header.length !== UNDEFINED_LENGTH && header.length > end - header.valueOffset) {
    throw invalidDicom(
      `truncated: element ${tagLabel(tag)} at byte ${pos} declares a value of ${header.length} bytes ` +
        `but only ${end - header.valueOffset} remain`,
    );
  }
  return header;
}

function explicitHeader(ctx: HeaderSource, pos: number, end: number, tag: number): ElementHeader {
  const c1 = ctx.bytes[pos + 4]!;
  const c2 = ctx.bytes[pos + 5]!;
  if (!isUpper(c1) || !isUpper(c2)) {
    throw invalidDicom(
      `element ${tagLabel(tag)} at byte ${pos} has no valid VR (bytes 0x${c1.toString(16)} 0x${c2.toString(16)}); ` +
        'explicit VR was expected here (is the transfer syntax right?)',
    );
  }
  const vr = String.fromCharCode(c1, c2);
  if (SHORT_VRS.has(vr)) {
    return {
      tag,
      vr,
      length: ctx.view.getUint16(pos + 6, ctx.littleEndian),
      offset: pos,
      valueOffset: pos + 8,
    };
  }
  // PS3.5 §6.2: VRs unknown to this reader are read in the 4-byte length form and kept as UN.
  if (end - pos < 12) throw truncated(`data element ${tagLabel(tag)} header`, pos, 12, end);
  const length = ctx.view.getUint32(pos + 8, ctx.littleEndian);
  return { tag, vr: LONG_VRS.has(vr) ? vr : 'UN', length, offset: pos, valueOffset: pos + 12 };
}

/** The VR of an implicit-VR element (PS3.5 §7.1.3, PS3.6): dictionary, else the rules for private tags. */
function implicitVr(tag: number, length: number, pixelRepresentation: number): string {
  const group = tag >>> 16;
  const element = tag & 0xffff;
  if (element === 0) return 'UL'; // group length
  if (group % 2 === 1) {
    if (element >= 0x10 && element <= 0xff) return 'LO'; // private creator (PS3.5 §7.8.1)
    return length === UNDEFINED_LENGTH ? 'SQ' : 'UN';
  }
  const vr = dictionaryEntry(tag)?.vr;
  switch (vr) {
    case undefined:
      return length === UNDEFINED_LENGTH ? 'SQ' : 'UN';
    case 'ox':
    case 'lt':
      return 'OW'; // in implicit VR, OB-or-OW values are OW (PS3.5 §A.1)
    case 'xs':
      return pixelRepresentation === 1 ? 'SS' : 'US';
    case 'up':
      return 'UL';
    case 'na':
      return 'UN';
    default:
      return vr;
  }
}
