/**
 * Test support only: writes small Explicit VR Little Endian Part 10 files (PS3.10 §7.1, PS3.5 §7.1.2) for
 * cases the pydicom corpus lacks (palette colour, MONOCHROME1, unaligned 1-bit frames, fragmented
 * multi-frame JPEG with and without offset tables).
 */
export type TestValue =
  | { readonly vr: 'US'; readonly value: readonly number[] }
  | { readonly vr: 'UI' | 'CS' | 'IS' | 'DS' | 'LO'; readonly value: string }
  | { readonly vr: 'OB' | 'OW' | 'OV'; readonly value: Uint8Array }
  | {
      readonly vr: 'OB';
      readonly fragments: readonly Uint8Array[];
      readonly basicOffsets?: readonly number[];
    };

const LONG_VRS = new Set(['OB', 'OW', 'OV', 'UN', 'SQ', 'UT']);

function header(tag: number, vr: string, length: number): Uint8Array {
  const long = LONG_VRS.has(vr);
  const out = new Uint8Array(long ? 12 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, length, true);
  else view.setUint16(6, length, true);
  return out;
}

function item(tag: number, value: Uint8Array): Uint8Array[] {
  const head = new Uint8Array(8);
  const view = new DataView(head.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  view.setUint32(4, value.length, true);
  return [head, value];
}

function encodeValue(v: TestValue): Uint8Array {
  if ('fragments' in v) throw new Error('fragments are written by element()');
  if (v.vr === 'US') {
    const out = new Uint8Array(v.value.length * 2);
    v.value.forEach((n, i) => {
      new DataView(out.buffer).setUint16(i * 2, n, true);
    });
    return out;
  }
  if (typeof v.value === 'string') {
    const text = v.value.length % 2 === 0 ? v.value : v.value + (v.vr === 'UI' ? '\0' : ' ');
    return new TextEncoder().encode(text);
  }
  if (v.value.length % 2 === 0) return v.value;
  const padded = new Uint8Array(v.value.length + 1);
  padded.set(v.value);
  return padded;
}

function element(tag: number, v: TestValue): Uint8Array[] {
  if (!('fragments' in v)) {
    const value = encodeValue(v);
    return [header(tag, v.vr, value.length), value];
  }
  const table = new Uint8Array((v.basicOffsets ?? []).length * 4);
  (v.basicOffsets ?? []).forEach((n, i) => {
    new DataView(table.buffer).setUint32(i * 4, n, true);
  });
  const parts = [header(tag, 'OB', 0xffffffff), ...item(0xfffee000, table)];
  for (const fragment of v.fragments)
    parts.push(...item(0xfffee000, encodeValue({ vr: 'OB', value: fragment })));
  parts.push(...item(0xfffee0dd, new Uint8Array(0)));
  return parts;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A Part 10 file of `elements` (tag → value), sorted by tag as PS3.5 §7.1 requires. */
export function writeTestPart10(
  transferSyntaxUid: string,
  elements: ReadonlyMap<number, TestValue>,
): Uint8Array {
  const sopClass = '1.2.840.10008.5.1.4.1.1.7';
  const sopInstance = '2.25.1234567890';
  const metaElements = concat([
    ...element(0x00020001, { vr: 'OB', value: new Uint8Array([0, 1]) }),
    ...element(0x00020002, { vr: 'UI', value: sopClass }),
    ...element(0x00020003, { vr: 'UI', value: sopInstance }),
    ...element(0x00020010, { vr: 'UI', value: transferSyntaxUid }),
  ]);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaElements.length, true);
  const all = new Map<number, TestValue>([
    [0x00080016, { vr: 'UI', value: sopClass }],
    [0x00080018, { vr: 'UI', value: sopInstance }],
    [0x0020000d, { vr: 'UI', value: '2.25.1' }],
    [0x0020000e, { vr: 'UI', value: '2.25.2' }],
    ...elements,
  ]);
  const sorted = [...all.entries()].sort(([a], [b]) => a - b);
  return concat([
    new Uint8Array(128),
    new TextEncoder().encode('DICM'),
    header(0x00020000, 'UL', 4),
    groupLength,
    metaElements,
    ...sorted.flatMap(([tag, v]) => element(tag, v)),
  ]);
}
