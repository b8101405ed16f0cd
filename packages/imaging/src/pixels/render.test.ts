import { AppError } from '@yiyun/fhir';
import { decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { extractFrames } from './frames.ts';
import { type RenderOptions, renderImage, renderThumbnail } from './render.ts';
import { corpusFile, parseForTest } from './testing.ts';
import { type TestValue, writeTestPart10 } from './testing-writer.ts';

const png = async (part10: Uint8Array, options: Omit<RenderOptions, 'format'> = {}) =>
  decodePng(await renderImage(part10, { ...options, format: 'image/png' }));
const pixelsOf = (image: { data: ArrayLike<number> }) => Buffer.from(Uint8Array.from(image.data));

function variance(values: ArrayLike<number>, step = 1): number {
  let sum = 0;
  let squares = 0;
  let n = 0;
  for (let i = 0; i < values.length; i += step, n++) {
    sum += values[i]!;
    squares += values[i]! * values[i]!;
  }
  return squares / n - (sum / n) ** 2;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('renderImage: grayscale pipeline (PS3.3 C.11)', () => {
  it('renders CT_small as a JPEG of its size that is not uniform', async () => {
    const out = await renderImage(corpusFile('CT_small.dcm'), { format: 'image/jpeg' });
    expect(Buffer.from(out.subarray(0, 2)).toString('hex')).toBe('ffd8');
    const decoded = jpeg.decode(out, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([128, 128]);
    expect(variance(decoded.data, 4)).toBeGreaterThan(100);
  });

  it('applies Rescale Slope/Intercept then the linear window of the query, as PS3.3 C.11.2.1.2.1 defines', async () => {
    const part10 = corpusFile('CT_small.dcm');
    const [center, width] = [40, 400];
    const rendered = await png(part10, { window: { center, width } });
    expect(rendered.channels).toBe(1);
    const raw = extractFrames(part10, parseForTest(part10), [1]).frames[0]!;
    const stored = new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    let worst = 0;
    stored.forEach((value, i) => {
      const hu = value * 1 - 1024; // Rescale Slope 1, Rescale Intercept -1024
      const y = Math.min(255, Math.max(0, ((hu - (center - 0.5)) / (width - 1) + 0.5) * 255));
      worst = Math.max(worst, Math.abs(rendered.data[i]! - y));
    });
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('changes the output with the window and with the VOI LUT function', async () => {
    const part10 = corpusFile('CT_small.dcm');
    const auto = pixelsOf(await png(part10));
    const soft = pixelsOf(await png(part10, { window: { center: 40, width: 400 } }));
    const bone = pixelsOf(await png(part10, { window: { center: 500, width: 2000 } }));
    const sigmoid = pixelsOf(await png(part10, { window: { center: 40, width: 400, function: 'sigmoid' } }));
    const exact = pixelsOf(
      await png(part10, { window: { center: 40, width: 400, function: 'linear-exact' } }),
    );
    for (const other of [auto, bone, sigmoid, exact]) expect(other.equals(soft)).toBe(false);
  });

  it("uses the dataset's Window Center/Width when the query has none", async () => {
    const part10 = corpusFile('MR_small.dcm');
    const byDataset = pixelsOf(await png(part10));
    expect(byDataset.equals(pixelsOf(await png(part10, { window: { center: 600, width: 1600 } })))).toBe(
      true,
    );
  });

  it('renders the lossless encodings of MR_small to the same pixels', async () => {
    const reference = pixelsOf(await png(corpusFile('MR_small.dcm')));
    const encodings = [
      'MR_small_implicit.dcm',
      'MR_small_bigendian.dcm',
      'MR_small_expb.dcm',
      'MR_small_RLE.dcm',
    ];
    for (const name of [...encodings, 'MR_small_jp2klossless.dcm', 'MR_small_jpeg_ls_lossless.dcm']) {
      expect(pixelsOf(await png(corpusFile(name))).equals(reference), name).toBe(true);
    }
  });

  it('inverts MONOCHROME1 and Presentation LUT Shape INVERSE', async () => {
    const part10 = corpusFile('CT_small.dcm');
    const window = { center: 40, width: 400 };
    const normal = (await png(part10, { window })).data;
    const expected = Buffer.from(Array.from(normal, (v) => 255 - v));
    expect(pixelsOf(await png(asMonochrome1(part10), { window })).equals(expected)).toBe(true);
    expect(pixelsOf(await png(withInversePresentation(part10), { window })).equals(expected)).toBe(true);
  });

  it('renders each frame of a multi-frame instance; frames past the last are not found', async () => {
    const part10 = corpusFile('rtdose.dcm');
    const first = pixelsOf(await png(part10, { frame: 1 }));
    expect(first.equals(pixelsOf(await png(part10, { frame: 15 })))).toBe(false);
    expect((await rejection(renderImage(part10, { format: 'image/png', frame: 16 }))).code).toBe('not-found');
    expect((await rejection(renderImage(part10, { format: 'image/png', frame: 0 }))).code).toBe('invalid');
  });

  it('renders compressed grayscale syntaxes: JPEG extended, JPEG 2000, deflate, 1-bit', async () => {
    const cases: [string, number, number][] = [
      ['JPEG-lossy.dcm', 256, 1024],
      ['JPGExtended.dcm', 256, 1024],
      ['693_J2KI.dcm', 512, 512],
      ['JPEG2000.dcm', 256, 1024],
      ['image_dfl.dcm', 512, 512],
      ['liver_1frame.dcm', 512, 512],
    ];
    for (const [name, width, height] of cases) {
      const decoded = jpeg.decode(await renderImage(corpusFile(name), { format: 'image/jpeg' }), {
        useTArray: true,
      });
      expect([decoded.width, decoded.height], name).toEqual([width, height]);
      expect(variance(decoded.data, 4), name).toBeGreaterThan(0);
    }
  });
});

describe('renderImage: colour', () => {
  it('renders RGB, YBR and their compressed forms to the same colours', async () => {
    const reference = await png(corpusFile('SC_rgb_rle.dcm'));
    expect([reference.width, reference.height, reference.channels]).toEqual([100, 100, 3]);
    expect(variance(reference.data, 3)).toBeGreaterThan(0);
    expect([...reference.data.slice(0, 3)]).toEqual([255, 0, 0]); // the top band is red
    // RLE colour is stored by plane (PS3.5 §G.2); 16 bits allocated are reduced to 8.
    const lossless = [
      'SC_rgb_rle_2frame.dcm',
      'SC_rgb_rle_16bit.dcm',
      'SC_rgb_jpeg_gdcm.dcm',
      'SC_rgb_gdcm_KY.dcm',
    ];
    for (const name of lossless) {
      expect(pixelsOf(await png(corpusFile(name))).equals(pixelsOf(reference)), name).toBe(true);
    }
    const lossyOrYbr = [
      'SC_ybr_full_422_uncompressed.dcm',
      'SC_rgb_jpeg_dcmtk.dcm',
      'SC_rgb_dcmtk_+eb+cy+np.dcm',
    ];
    for (const name of [...lossyOrYbr, 'SC_rgb_dcmtk_+eb+cr.dcm', 'SC_rgb_jpeg_lossy_gdcm.dcm']) {
      const other = await png(corpusFile(name));
      const meanError = Array.from(other.data, (v, i) => Math.abs(v - reference.data[i]!)).reduce(
        (a, b) => a + b,
        0,
      );
      expect(meanError / other.data.length, name).toBeLessThan(4);
    }
  });

  it('refuses colour of 32 bits allocated, which the decoders do not handle, as unsupported', async () => {
    const err = await rejection(renderImage(corpusFile('SC_rgb_rle_32bit.dcm'), { format: 'image/png' }));
    expect(err.code).toBe('unsupported');
  });

  it('maps PALETTE COLOR through its lookup tables', async () => {
    const decoded = await png(paletteImage());
    expect(decoded.channels).toBe(3);
    for (let i = 0; i < 16; i++) {
      const v = i * 16;
      expect([...decoded.data.slice(i * 3, i * 3 + 3)]).toEqual([v, 255 - v, 128]);
    }
  });
});

describe('renderImage: viewport, formats and errors', () => {
  it('fits the viewport keeping the aspect ratio, shrinking and enlarging', async () => {
    const tall = jpeg.decode(
      await renderImage(corpusFile('JPEG-lossy.dcm'), {
        format: 'image/jpeg',
        viewport: { width: 100, height: 100 },
      }),
    );
    expect([tall.width, tall.height]).toEqual([25, 100]);
    const wide = await png(corpusFile('MR_small.dcm'), { viewport: { width: 256, height: 128 } });
    expect([wide.width, wide.height]).toEqual([128, 128]);
  });

  it('leaves the stored bytes as they were', async () => {
    for (const name of ['MR_small_bigendian.dcm', 'SC_rgb_rle_16bit.dcm', 'MR_small_RLE.dcm']) {
      const part10 = corpusFile(name);
      const before = Buffer.from(part10);
      await renderImage(part10, { format: 'image/jpeg', window: { center: 600, width: 1600 } });
      expect(Buffer.from(part10).equals(before), name).toBe(true);
    }
  });

  it('round-trips PNG losslessly and honours the JPEG quality', async () => {
    const part10 = corpusFile('CT_small.dcm');
    const first = pixelsOf(await png(part10));
    expect(first.length).toBe(128 * 128);
    expect(pixelsOf(await png(part10)).equals(first)).toBe(true);
    const low = await renderImage(part10, { format: 'image/jpeg', quality: 10 });
    const high = await renderImage(part10, { format: 'image/jpeg', quality: 100 });
    expect(low.length).toBeLessThan(high.length);
  });

  it('refuses instances without pixel data or that cannot be decoded as unsupported', async () => {
    for (const name of [
      'reportsi.dcm',
      'test-SR.dcm',
      'waveform_ecg.dcm',
      'JPEG2000-embedded-sequence-delimiter.dcm',
    ]) {
      const err = await rejection(renderImage(corpusFile(name), { format: 'image/jpeg' }));
      expect(err.code, name).toBe('unsupported');
    }
  });

  it('refuses bad options as invalid', async () => {
    const part10 = corpusFile('CT_small.dcm');
    const bad: RenderOptions[] = [
      { format: 'image/jpeg', quality: 0 },
      { format: 'image/jpeg', quality: 101 },
      { format: 'image/png', window: { center: 40, width: 0 } },
      { format: 'image/png', window: { center: Number.NaN, width: 10 } },
      { format: 'image/png', viewport: { width: 0, height: 10 } },
    ];
    for (const options of bad) expect((await rejection(renderImage(part10, options))).code).toBe('invalid');
  });
});

describe('renderThumbnail', () => {
  it('fits in size×size keeping the aspect ratio', async () => {
    const square = jpeg.decode(await renderThumbnail(corpusFile('693_J2KI.dcm'), { format: 'image/jpeg' }));
    expect([square.width, square.height]).toEqual([128, 128]);
    const tall = decodePng(
      await renderThumbnail(corpusFile('JPEG-lossy.dcm'), { format: 'image/png', size: 64 }),
    );
    expect([tall.width, tall.height]).toEqual([16, 64]);
  });

  it('shows the middle frame', async () => {
    const part10 = corpusFile('rtdose.dcm');
    const thumbnail = decodePng(await renderThumbnail(part10, { format: 'image/png', size: 10 }));
    expect(pixelsOf(thumbnail).equals(pixelsOf(await png(part10, { frame: 8 })))).toBe(true);
  });
});

/** CT_small with Photometric Interpretation MONOCHROME1: the same pixels, to be shown inverted. */
function asMonochrome1(part10: Uint8Array): Uint8Array {
  const copy = Buffer.from(part10);
  const at = copy.indexOf('MONOCHROME2');
  copy.write('MONOCHROME1', at, 'latin1');
  return new Uint8Array(copy);
}

/** CT_small with Presentation LUT Shape (2050,0020) INVERSE inserted before Pixel Data. */
function withInversePresentation(part10: Uint8Array): Uint8Array {
  const pixelElement = parseForTest(part10).bulk.get('7FE00010')!.offset - 12;
  const element = Buffer.concat([
    Buffer.from([0x50, 0x20, 0x20, 0x00]),
    Buffer.from('CS'),
    Buffer.from([8, 0]),
    Buffer.from('INVERSE '),
  ]);
  return new Uint8Array(
    Buffer.concat([part10.subarray(0, pixelElement), element, part10.subarray(pixelElement)]),
  );
}

/** 16×1 PALETTE COLOR, 8-bit indices 0,16,…,240 through 256-entry 16-bit tables (PS3.3 C.7.6.3.1.5). */
function paletteImage(): Uint8Array {
  const table = (f: (i: number) => number) => {
    const out = new Uint8Array(512);
    for (let i = 0; i < 256; i++) new DataView(out.buffer).setUint16(i * 2, f(i) * 257, true);
    return out;
  };
  const elements = new Map<number, TestValue>([
    [0x00280002, { vr: 'US', value: [1] }],
    [0x00280004, { vr: 'CS', value: 'PALETTE COLOR' }],
    [0x00280010, { vr: 'US', value: [1] }],
    [0x00280011, { vr: 'US', value: [16] }],
    [0x00280100, { vr: 'US', value: [8] }],
    [0x00280101, { vr: 'US', value: [8] }],
    [0x00280102, { vr: 'US', value: [7] }],
    [0x00280103, { vr: 'US', value: [0] }],
    [0x00281101, { vr: 'US', value: [256, 0, 16] }],
    [0x00281102, { vr: 'US', value: [256, 0, 16] }],
    [0x00281103, { vr: 'US', value: [256, 0, 16] }],
    [0x00281201, { vr: 'OW', value: table((i) => i) }],
    [0x00281202, { vr: 'OW', value: table((i) => 255 - i) }],
    [0x00281203, { vr: 'OW', value: table(() => 128) }],
    [0x7fe00010, { vr: 'OB', value: Uint8Array.from({ length: 16 }, (_, i) => i * 16) }],
  ]);
  return writeTestPart10('1.2.840.10008.1.2.1', elements);
}
