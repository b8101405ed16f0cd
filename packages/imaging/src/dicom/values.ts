import type { DicomJsonElement } from '../service/port.ts';
import { type CharsetDecoder, decodeLatin1 } from './charset.ts';
import type { ElementHeader } from './element-header.ts';
import type { ReadContext } from './read-context.ts';

/**
 * Element values in the DICOM JSON model (PS3.18 §F.2): strings split on `\` (PS3.5 §6.4), IS/DS and
 * binary numbers as JSON numbers, PN as component-group objects (§F.2.2), AT as `GGGGEEEE`, short
 * binary values as base64 InlineBinary (§F.2.7). Empty values in a multi-valued element are null (§F.2.5).
 */

/** Text VRs whose values use the Specific Character Set (PS3.5 §6.1.2.3). */
const CHARSET_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UC', 'UT', 'PN']);
/** Text VRs with a single value, in which `\` is an ordinary character. */
const SINGLE_VALUE_VRS = new Set(['ST', 'LT', 'UT', 'UR']);
/** Text VRs in which leading spaces are significant; only trailing ones are padding (PS3.5 Table 6.2-1). */
const LEADING_SPACE_VRS = new Set(['ST', 'LT', 'UT', 'UC']);
export const OPAQUE_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);

interface NumberReader {
  readonly size: number;
  read(view: DataView, at: number, le: boolean): number | string;
}

function bigToJson(value: bigint): number | string {
  // PS3.18 §F.2.3.1: SV/UV beyond ±2^53 are sent as strings so no precision is lost.
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : `${value}`;
}

const NUMBER_VRS: Readonly<Record<string, NumberReader>> = {
  US: { size: 2, read: (v, at, le) => v.getUint16(at, le) },
  SS: { size: 2, read: (v, at, le) => v.getInt16(at, le) },
  UL: { size: 4, read: (v, at, le) => v.getUint32(at, le) },
  SL: { size: 4, read: (v, at, le) => v.getInt32(at, le) },
  FL: { size: 4, read: (v, at, le) => v.getFloat32(at, le) },
  FD: { size: 8, read: (v, at, le) => v.getFloat64(at, le) },
  SV: { size: 8, read: (v, at, le) => bigToJson(v.getBigInt64(at, le)) },
  UV: { size: 8, read: (v, at, le) => bigToJson(v.getBigUint64(at, le)) },
  AT: {
    size: 4,
    read: (v, at, le) =>
      (
        v.getUint16(at, le).toString(16).padStart(4, '0') +
        v
          .getUint16(at + 2, le)
          .toString(16)
          .padStart(4, '0')
      ).toUpperCase(),
  },
};

function numbers(ctx: ReadContext, h: ElementHeader, reader: NumberReader): unknown[] {
  const count = Math.floor(h.length / reader.size);
  const out: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const value = reader.read(ctx.view, h.valueOffset + i * reader.size, ctx.littleEndian);
    // NaN and ±Infinity have no JSON form (PS3.18 §F.2.3); they become null.
    out[i] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  return out;
}

function trimValue(s: string, vr: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0)) end--;
  let start = 0;
  if (!LEADING_SPACE_VRS.has(vr)) while (start < end && s.charCodeAt(start) === 0x20) start++;
  return s.slice(start, end);
}

/** A component group with only `^` separators and spaces is empty (PS3.5 §6.2.1.1). */
function pnGroup(group: string): string {
  const g = group.trim();
  return /^[\^ ]*$/.test(g) ? '' : g;
}

function personName(value: string): unknown {
  const groups = value.split('=').map(pnGroup);
  const pn: Record<string, string> = {};
  if (groups[0]) pn['Alphabetic'] = groups[0];
  if (groups[1]) pn['Ideographic'] = groups[1];
  if (groups[2]) pn['Phonetic'] = groups[2];
  return Object.keys(pn).length > 0 ? pn : null;
}

function stringToJson(value: string, vr: string): unknown {
  if (value === '') return null;
  if (vr === 'PN') return personName(value);
  if (vr === 'IS' || vr === 'DS') {
    const n = Number(value);
    // Not a number at all (e.g. `1A`): null rather than a string where clients expect a number.
    return Number.isFinite(n) ? n : null;
  }
  return value;
}

function strings(ctx: ReadContext, h: ElementHeader, decode: CharsetDecoder): unknown[] | undefined {
  const raw = ctx.bytes.subarray(h.valueOffset, h.valueOffset + h.length);
  const text = CHARSET_VRS.has(h.vr) ? decode(raw, h.vr === 'PN') : decodeLatin1(raw);
  const parts = SINGLE_VALUE_VRS.has(h.vr) ? [text] : text.split('\\');
  const values = parts.map((p) => stringToJson(trimValue(p, h.vr), h.vr));
  if (values.length === 1 && values[0] === null) return undefined;
  return values;
}

/** The JSON form of a value that is neither a sequence nor bulk data. */
export function valueElement(ctx: ReadContext, h: ElementHeader, decode: CharsetDecoder): DicomJsonElement {
  if (h.length === 0) return { vr: h.vr };
  if (OPAQUE_VRS.has(h.vr)) {
    const b64 = Buffer.from(ctx.bytes.buffer, ctx.bytes.byteOffset + h.valueOffset, h.length).toString(
      'base64',
    );
    return { vr: h.vr, InlineBinary: b64 };
  }
  const reader = NUMBER_VRS[h.vr];
  const values = reader ? numbers(ctx, h, reader) : strings(ctx, h, decode);
  return values && values.length > 0 ? { vr: h.vr, Value: values } : { vr: h.vr };
}
