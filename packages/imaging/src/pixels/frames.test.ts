import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { allFrameNumbers, extractFrames } from './frames.ts';
import { corpusFile, parseForTest, rtdoseFile } from './testing.ts';
import { type TestValue, writeTestPart10 } from './testing-writer.ts';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';

function framesOf(name: string, numbers?: number[]) {
  const part10 = /^rtdose(_expb)?(_1frame)?\.dcm$/.test(name) ? rtdoseFile(name) : corpusFile(name);
  const parsed = parseForTest(part10);
  return { part10, parsed, ...extractFrames(part10, parsed, numbers ?? allFrameNumbers(parsed)) };
}

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const hex = (bytes: Uint8Array, n = 2) => Buffer.from(bytes.subarray(0, n)).toString('hex');

describe('extractFrames: native pixel data', () => {
  it('slices one frame of rows×columns×samples×bits/8 bytes, as a view of the stored bytes', () => {
    const { part10, parsed, transferSyntaxUid, frames } = framesOf('CT_small.dcm');
    expect(transferSyntaxUid).toBe(EXPLICIT_LE);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.length).toBe(128 * 128 * 2);
    expect(frames[0]!.buffer).toBe(part10.buffer);
    expect(frames[0]!.byteOffset).toBe(parsed.bulk.get('7FE00010')!.offset);
  });

  it('gives the same little endian frame from implicit, big endian, padded and deflated encodings', () => {
    const reference = framesOf('MR_small.dcm').frames[0]!;
    expect(reference.length).toBe(64 * 64 * 2);
    for (const name of [
      'MR_small_implicit.dcm',
      'MR_small_bigendian.dcm',
      'MR_small_expb.dcm',
      'MR_small_padded.dcm',
    ]) {
      const { frames, transferSyntaxUid } = framesOf(name);
      expect(transferSyntaxUid, name).toBe(EXPLICIT_LE);
      expect(Buffer.from(frames[0]!).equals(Buffer.from(reference)), name).toBe(true);
    }
    expect(framesOf('image_dfl.dcm').frames[0]!.length).toBe(512 * 512);
  });

  it('slices each frame of a multi-frame instance in the order asked, 32-bit big endian swapped', () => {
    const { frames } = framesOf('rtdose.dcm', [15, 1, 3, 1]);
    expect(frames.map((f) => f.length)).toEqual([400, 400, 400, 400]);
    expect(frames[1]).toEqual(frames[3]);
    expect(frames[0]).not.toEqual(frames[1]);
    const all = framesOf('rtdose.dcm').frames;
    const bigEndian = framesOf('rtdose_expb.dcm').frames;
    expect(all).toHaveLength(15);
    bigEndian.forEach((frame, i) => {
      expect(Buffer.from(frame).equals(Buffer.from(all[i]!))).toBe(true);
    });
  });

  it('handles colour by plane count: RGB 3 samples, YBR_FULL_422 2 per pixel', () => {
    expect(framesOf('SC_rgb_small_odd.dcm').frames[0]!.length).toBe(3 * 3 * 3);
    expect(framesOf('ExplVR_BigEnd.dcm').frames[0]!.length).toBe(60 * 80 * 3);
    expect(framesOf('SC_ybr_full_422_uncompressed.dcm').frames[0]!.length).toBe(100 * 100 * 2);
  });

  it('slices bit-packed 1-bit frames, little and big endian alike', () => {
    const little = framesOf('liver_1frame.dcm').frames[0]!;
    expect(little.length).toBe((512 * 512) / 8);
    expect(little.some((b) => b !== 0)).toBe(true);
    expect(Buffer.from(framesOf('liver_expb_1frame.dcm').frames[0]!).equals(Buffer.from(little))).toBe(true);
  });

  it('shifts 1-bit frames that do not start on a byte boundary to bit 0', () => {
    // Three 3×3 frames = 27 bits, least significant bit first (PS3.5 §8.1.1). Frame 1: bits 0,4,8 (a
    // diagonal); frame 2: all nine; frame 3: only its first and last pixel.
    const bits = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1];
    const packed = new Uint8Array(4);
    bits.forEach((bit, i) => {
      packed[i >> 3]! |= bit << (i & 7);
    });
    const part10 = writeTestPart10(
      EXPLICIT_LE,
      image({ rows: 3, columns: 3, bits: 1, frames: 3, pixels: packed }),
    );
    const { frames } = extractFrames(part10, parseForTest(part10), [1, 2, 3]);
    expect(frames.map((f) => [...f])).toEqual([
      [0b0001_0001, 0b1],
      [0xff, 0b1],
      [0b0000_0001, 0b1],
    ]);
  });
});

describe('extractFrames: encapsulated pixel data', () => {
  it('gives the compressed codestream of each frame in the stored syntax', () => {
    const starts: [string, string][] = [
      ['SC_rgb_jpeg_dcmtk.dcm', 'ffd8'],
      ['JPEG-lossy.dcm', 'ffd8'],
      ['MR_small_jpeg_ls_lossless.dcm', 'ffd8'],
      ['693_J2KI.dcm', 'ff4f'],
      ['MR_small_jp2klossless.dcm', 'ff4f'],
      ['SC_rgb_gdcm_KY.dcm', 'ff4f'],
    ];
    for (const [name, soi] of starts) {
      const { part10, parsed, transferSyntaxUid, frames } = framesOf(name);
      expect(transferSyntaxUid, name).toBe(parsed.transferSyntaxUid);
      expect(frames, name).toHaveLength(1);
      expect(hex(frames[0]!), name).toBe(soi);
      expect(frames[0]!.buffer, `${name} is a view`).toBe(part10.buffer);
    }
    const jpeg = framesOf('SC_rgb_jpeg_dcmtk.dcm').frames[0]!;
    // EOI ends the codestream; an odd-length one is padded to even length with one 00 (PS3.5 §A.4).
    expect(hex(jpeg.subarray(jpeg.length - 3), 3)).toMatch(/ffd9$|ffd900$/);
  });

  it('gives one fragment per frame of RLE multi-frame instances', () => {
    const { frames } = framesOf('SC_rgb_rle_2frame.dcm');
    expect(frames.map((f) => f.length)).toEqual([664, 664]);
    // The RLE header: 3 segments (PS3.5 §G.3.1).
    expect(new DataView(frames[0]!.buffer, frames[0]!.byteOffset).getUint32(0, true)).toBe(3);
    expect(framesOf('rtdose_rle.dcm').frames).toHaveLength(15);
  });

  const jpeg = () => framesOf('SC_rgb_jpeg_dcmtk.dcm').frames[0]!;
  const split = (frame: Uint8Array) => [frame.subarray(0, 862), frame.subarray(862)];
  const threeFrames = (extra: Partial<Record<'basicOffsets' | 'extended', number[]>>) => {
    const frame = jpeg();
    const elements = image({ rows: 100, columns: 100, bits: 8, samples: 3, frames: 3 });
    const pixels: TestValue = {
      vr: 'OB',
      fragments: [frame, frame, frame].flatMap(split),
      basicOffsets: extra.basicOffsets,
    };
    elements.set(0x7fe00010, pixels);
    if (extra.extended) {
      const table = new Uint8Array(extra.extended.length * 8);
      extra.extended.forEach((n, i) => {
        new DataView(table.buffer).setBigUint64(i * 8, BigInt(n), true);
      });
      elements.set(0x7fe00001, { vr: 'OV', value: table });
    }
    const part10 = writeTestPart10('1.2.840.10008.1.2.4.50', elements);
    return { frame, ...extractFrames(part10, parseForTest(part10), [3, 1, 2]) };
  };
  // Each fragment item: 8 bytes of header and 862 bytes, two per frame.
  const offsets = [0, 1740, 3480];

  it('joins the fragments of each frame by the Basic Offset Table', () => {
    const { frame, frames } = threeFrames({ basicOffsets: offsets });
    for (const f of frames) expect(Buffer.from(f).equals(Buffer.from(frame))).toBe(true);
  });

  it('joins the fragments of each frame by the Extended Offset Table', () => {
    const { frame, frames } = threeFrames({ extended: offsets });
    for (const f of frames) expect(Buffer.from(f).equals(Buffer.from(frame))).toBe(true);
  });

  it('finds frame boundaries by JPEG SOI after EOI when there is no (usable) offset table', () => {
    for (const extra of [{}, { basicOffsets: [0, 4, 9] }]) {
      const { frame, frames } = threeFrames(extra);
      expect(frames).toHaveLength(3);
      for (const f of frames) expect(Buffer.from(f).equals(Buffer.from(frame))).toBe(true);
    }
  });

  it('refuses fragments it cannot assign to frames', () => {
    const elements = image({ rows: 2, columns: 2, bits: 8, frames: 2 });
    elements.set(0x7fe00010, {
      vr: 'OB',
      fragments: [new Uint8Array([1, 2]), new Uint8Array([3, 4]), new Uint8Array([5, 6])],
    });
    const part10 = writeTestPart10('1.2.840.10008.1.2.5', elements);
    expect(appError(() => extractFrames(part10, parseForTest(part10), [1])).code).toBe('unprocessable');
  });
});

describe('extractFrames: errors', () => {
  it('throws not-found for frames past the last, invalid for non-positive or fractional numbers', () => {
    expect(appError(() => framesOf('CT_small.dcm', [2])).code).toBe('not-found');
    expect(appError(() => framesOf('rtdose.dcm', [1, 16])).message).toMatch(/frame 16 .*15 frame/);
    for (const bad of [[0], [-1], [1.5], []])
      expect(appError(() => framesOf('rtdose.dcm', bad)).code).toBe('invalid');
  });

  it('throws not-found for an instance without pixel data', () => {
    expect(appError(() => framesOf('reportsi.dcm', [1])).code).toBe('not-found');
  });
});

function image(o: {
  rows: number;
  columns: number;
  bits: number;
  frames: number;
  samples?: number;
  pixels?: Uint8Array;
}) {
  const samples = o.samples ?? 1;
  const elements = new Map<number, TestValue>([
    [0x00280002, { vr: 'US', value: [samples] }],
    [0x00280004, { vr: 'CS', value: samples === 3 ? 'RGB' : 'MONOCHROME2' }],
    [0x00280008, { vr: 'IS', value: String(o.frames) }],
    [0x00280010, { vr: 'US', value: [o.rows] }],
    [0x00280011, { vr: 'US', value: [o.columns] }],
    [0x00280100, { vr: 'US', value: [o.bits] }],
    [0x00280101, { vr: 'US', value: [o.bits] }],
    [0x00280102, { vr: 'US', value: [o.bits - 1] }],
    [0x00280103, { vr: 'US', value: [0] }],
  ]);
  if (o.pixels) elements.set(0x7fe00010, { vr: 'OB', value: o.pixels });
  return elements;
}
