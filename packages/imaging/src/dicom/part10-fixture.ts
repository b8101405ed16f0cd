/**
 * Test support: encodes small DICOM Part 10 files element by element, including deliberately broken
 * ones (wrong lengths, missing groups). Not used by production code.
 */
export type FixtureValue = string | Uint8Array | readonly number[] | readonly FixtureElement[][];

export interface FixtureElement {
  readonly tag: number;
  readonly vr: string;
  readonly value: FixtureValue;
  /** Write 0xFFFFFFFF and delimiters (SQ, encapsulated Pixel Data given as fragment arrays). */
  readonly undefinedLength?: boolean;
  /** Write this length instead of the real one (the value bytes are still written). */
  readonly lengthOverride?: number;
}

export interface EncodeOptions {
  readonly explicitVr?: boolean;
  readonly littleEndian?: boolean;
}

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const NUMERIC: Readonly<Record<string, number>> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, AT: 4 };

class Writer {
  private readonly chunks: Uint8Array[] = [];
  private readonly le: boolean;
  constructor(littleEndian: boolean) {
    this.le = littleEndian;
  }
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, this.le);
    this.chunks.push(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, this.le);
    this.chunks.push(b);
  }
  raw(b: Uint8Array): void {
    this.chunks.push(b);
  }
  bytes(): Uint8Array {
    return concat(this.chunks);
  }
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

function valueBytes(e: FixtureElement, opts: Required<EncodeOptions>): Uint8Array {
  if (e.value instanceof Uint8Array)
    return e.value.length % 2 === 0 || e.vr === 'OB'
      ? e.value
      : concat([e.value, ascii(e.vr === 'UI' ? '\0' : ' ')]);
  if (typeof e.value === 'string') {
    const b = ascii(e.value);
    return b.length % 2 === 0 ? b : concat([b, ascii(e.vr === 'UI' ? '\0' : ' ')]);
  }
  if (e.vr === 'SQ') return new Uint8Array(0);
  const size = NUMERIC[e.vr] ?? 2;
  const nums = e.value as readonly number[];
  const b = new Uint8Array(nums.length * size);
  const view = new DataView(b.buffer);
  nums.forEach((n, i) => {
    const at = i * size;
    if (e.vr === 'FL') view.setFloat32(at, n, opts.littleEndian);
    else if (e.vr === 'FD') view.setFloat64(at, n, opts.littleEndian);
    else if (size === 2) view.setUint16(at, n & 0xffff, opts.littleEndian);
    else if (e.vr === 'AT') {
      view.setUint16(at, n >>> 16, opts.littleEndian);
      view.setUint16(at + 2, n & 0xffff, opts.littleEndian);
    } else view.setUint32(at, n >>> 0, opts.littleEndian);
  });
  return b;
}

function header(w: Writer, e: FixtureElement, length: number, opts: Required<EncodeOptions>): void {
  w.u16(e.tag >>> 16);
  w.u16(e.tag & 0xffff);
  if (!opts.explicitVr) {
    w.u32(length);
    return;
  }
  w.raw(ascii(e.vr));
  if (LONG.has(e.vr)) {
    w.u16(0);
    w.u32(length);
  } else w.u16(length);
}

/** Encodes a dataset (no preamble, no File Meta). */
export function encodeDataset(elements: readonly FixtureElement[], options: EncodeOptions = {}): Uint8Array {
  const opts = { explicitVr: options.explicitVr ?? true, littleEndian: options.littleEndian ?? true };
  const w = new Writer(opts.littleEndian);
  for (const e of elements) {
    if (e.vr === 'SQ') {
      const items = (e.value as readonly FixtureElement[][]).map((item) => {
        const body = encodeDataset(item, opts);
        const iw = new Writer(opts.littleEndian);
        iw.u16(0xfffe);
        iw.u16(0xe000);
        iw.u32(body.length);
        iw.raw(body);
        return iw.bytes();
      });
      const body = concat(items);
      header(w, e, e.lengthOverride ?? (e.undefinedLength ? 0xffffffff : body.length), opts);
      w.raw(body);
      if (e.undefinedLength) delimiter(w, 0xe0dd);
      continue;
    }
    if (e.undefinedLength && Array.isArray(e.value)) {
      // encapsulated Pixel Data: an empty Basic Offset Table, then one fragment per array entry
      header(w, e, 0xffffffff, opts);
      for (const frag of [new Uint8Array(0), ...(e.value as unknown as Uint8Array[])]) {
        w.u16(0xfffe);
        w.u16(0xe000);
        w.u32(frag.length);
        w.raw(frag);
      }
      delimiter(w, 0xe0dd);
      continue;
    }
    const v = valueBytes(e, opts);
    header(w, e, e.lengthOverride ?? v.length, opts);
    w.raw(v);
  }
  return w.bytes();
}

function delimiter(w: Writer, element: number): void {
  w.u16(0xfffe);
  w.u16(element);
  w.u32(0);
}

export interface Part10Options extends EncodeOptions {
  readonly transferSyntaxUid?: string;
  readonly sopClassUid?: string;
  readonly sopInstanceUid?: string;
  /** Replace the File Meta elements (after the group length) entirely. */
  readonly meta?: readonly FixtureElement[];
  /** Write this File Meta group length instead of the real one. */
  readonly groupLengthOverride?: number;
}

export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/** The four UIDs every stored instance needs, plus the given elements, sorted by tag. */
export function instanceElements(
  extra: readonly FixtureElement[],
  uids: Partial<Record<'sop' | 'study' | 'series' | 'sopClass', string>> = {},
): FixtureElement[] {
  const base: FixtureElement[] = [
    { tag: 0x00080016, vr: 'UI', value: uids.sopClass ?? CT_IMAGE_STORAGE },
    { tag: 0x00080018, vr: 'UI', value: uids.sop ?? '2.25.1001' },
    { tag: 0x0020000d, vr: 'UI', value: uids.study ?? '2.25.2002' },
    { tag: 0x0020000e, vr: 'UI', value: uids.series ?? '2.25.3003' },
  ];
  const tags = new Set(extra.map((e) => e.tag));
  return [...base.filter((e) => !tags.has(e.tag)), ...extra].sort((a, b) => a.tag - b.tag);
}

/** Preamble, `DICM`, File Meta (explicit VR little endian) and the dataset. */
export function buildPart10(dataset: readonly FixtureElement[], options: Part10Options = {}): Uint8Array {
  const sop = dataset.find((e) => e.tag === 0x00080018)?.value;
  const sopClass = dataset.find((e) => e.tag === 0x00080016)?.value;
  const meta = encodeDataset(
    options.meta ?? [
      { tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) },
      {
        tag: 0x00020002,
        vr: 'UI',
        value: options.sopClassUid ?? (typeof sopClass === 'string' ? sopClass : CT_IMAGE_STORAGE),
      },
      {
        tag: 0x00020003,
        vr: 'UI',
        value: options.sopInstanceUid ?? (typeof sop === 'string' ? sop : '2.25.1001'),
      },
      { tag: 0x00020010, vr: 'UI', value: options.transferSyntaxUid ?? '1.2.840.10008.1.2.1' },
      { tag: 0x00020012, vr: 'UI', value: '2.25.99' },
    ],
  );
  const groupLength = encodeDataset([
    { tag: 0x00020000, vr: 'UL', value: [options.groupLengthOverride ?? meta.length] },
  ]);
  const body = encodeDataset(dataset, options);
  return concat([new Uint8Array(128), ascii('DICM'), groupLength, meta, body]);
}
