import { AppError } from '@yiyun/fhir';
import dcmjsImaging from 'dcmjs-imaging';
import { initPixelCodecs } from './codecs.ts';
import { encodeRaster, type RenderedMediaType } from './encode.ts';
import { fitInside, type Raster, resample } from './resize.ts';
import { narrowWideColour } from './wide-colour.ts';

type DicomImage = InstanceType<typeof dcmjsImaging.DicomImage>;

/** The `window` query parameter: center, width and VOI LUT function (PS3.18 §8.3.5.1.3, PS3.3 C.11.2.1.3). */
export interface RenderWindow {
  readonly center: number;
  readonly width: number;
  readonly function?: 'linear' | 'linear-exact' | 'sigmoid';
}

export interface RenderOptions {
  /** 1-based; the first frame when absent. */
  readonly frame?: number;
  readonly format: RenderedMediaType;
  /** JPEG quality 1–100 (PS3.18 §8.3.5.1.4); 90 when absent. */
  readonly quality?: number;
  readonly window?: RenderWindow;
  /** Scale to fit inside, keeping the aspect ratio (PS3.18 §8.3.5.1.2). */
  readonly viewport?: { readonly width: number; readonly height: number };
}

const VOI_FUNCTIONS = { linear: 'LINEAR', 'linear-exact': 'LINEAR_EXACT', sigmoid: 'SIGMOID' } as const;
const DEFAULT_QUALITY = 90;
const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

/**
 * A rendered frame for WADO-RS Retrieve Rendered (PS3.18 §8.3.5.1, §9.5.1.2.5) through the grayscale
 * pipeline of PS3.3 C.11 (Modality LUT from Rescale Slope/Intercept; VOI LUT from `window`, else the
 * dataset's Window Center/Width, else the frame's min/max; MONOCHROME1 and Presentation LUT Shape
 * INVERSE inverted) or, for colour, RGB/YBR/palette to RGB. Overlays are not burned in.
 */
export async function renderImage(part10: Uint8Array, options: RenderOptions): Promise<Uint8Array> {
  checkOptions(options);
  await initPixelCodecs();
  const image = openImage(part10);
  const raster = renderFrame(image, options.frame ?? 1, options.window);
  const fitted = options.viewport ? fitInside(raster.width, raster.height, options.viewport) : raster;
  const scaled = resample(raster, fitted.width, fitted.height);
  return encodeRaster(scaled, options.format, options.quality ?? DEFAULT_QUALITY);
}

export interface ThumbnailOptions {
  readonly format: RenderedMediaType;
  /** The thumbnail fits in size×size pixels; 128 when absent. */
  readonly size?: number;
  readonly quality?: number;
}

/** A thumbnail (PS3.18 §8.3.5.1, §9.5.1.2.6): the middle frame, dataset windowing, fit in size×size. */
export async function renderThumbnail(part10: Uint8Array, options: ThumbnailOptions): Promise<Uint8Array> {
  const size = options.size ?? 128;
  checkOptions({ format: options.format, quality: options.quality, viewport: { width: size, height: size } });
  await initPixelCodecs();
  const image = openImage(part10);
  const middle = Math.floor((frameCount(image) - 1) / 2) + 1;
  const raster = renderFrame(image, middle, undefined);
  const fitted = fitInside(raster.width, raster.height, { width: size, height: size });
  return encodeRaster(
    resample(raster, fitted.width, fitted.height),
    options.format,
    options.quality ?? DEFAULT_QUALITY,
  );
}

function checkOptions(options: RenderOptions): void {
  if (options.format !== 'image/jpeg' && options.format !== 'image/png') {
    throw new AppError('unsupported-media-type', `cannot render as ${String(options.format)}`);
  }
  const q = options.quality;
  if (q !== undefined && (!Number.isInteger(q) || q < 1 || q > 100)) {
    throw new AppError('invalid', `quality must be an integer from 1 to 100, not ${q}`);
  }
  const vp = options.viewport;
  if (
    vp &&
    !(isPositiveInteger(vp.width) && isPositiveInteger(vp.height) && vp.width * vp.height <= 1 << 26)
  ) {
    throw new AppError(
      'invalid',
      `viewport must be positive integers of at most 64 Mpixel, not ${vp.width},${vp.height}`,
    );
  }
  const w = options.window;
  if (w && !(Number.isFinite(w.center) && Number.isFinite(w.width))) {
    throw new AppError('invalid', 'window center and width must be numbers');
  }
  // PS3.3 C.11.2.1.2: Window Width ≥ 1 for LINEAR, > 0 for LINEAR_EXACT and SIGMOID.
  if (w && (w.width <= 0 || ((w.function ?? 'linear') === 'linear' && w.width < 1))) {
    throw new AppError('invalid', `window width ${w.width} is out of range (PS3.3 C.11.2.1.2)`);
  }
  if (w && !(w.function === undefined || w.function in VOI_FUNCTIONS)) {
    throw new AppError('invalid', `unknown VOI LUT function ${w.function}`);
  }
}

function isPositiveInteger(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

function openImage(part10: Uint8Array): DicomImage {
  const whole = part10.byteOffset === 0 && part10.byteLength === part10.buffer.byteLength;
  // A copy unless the view is the whole ArrayBuffer (a Buffer from a pool is not; Buffer#slice is a view).
  const buffer =
    whole && part10.buffer instanceof ArrayBuffer ? part10.buffer : new Uint8Array(part10).buffer;
  let image: DicomImage;
  try {
    image = new dcmjsImaging.DicomImage(buffer);
  } catch (err) {
    throw new AppError('unsupported', `the instance cannot be decoded for rendering: ${message(err)}`, {
      cause: err,
    });
  }
  const elements = image.getElements();
  if (!('PixelData' in elements || 'FloatPixelData' in elements || 'DoubleFloatPixelData' in elements)) {
    throw new AppError('unsupported', 'the instance has no pixel data to render');
  }
  const wideColour = Number(elements['SamplesPerPixel']) === 3 && Number(elements['BitsAllocated']) > 8;
  return wideColour ? narrowWideColour(buffer) : image;
}

function frameCount(image: DicomImage): number {
  return Math.max(1, Number(image.getNumberOfFrames()) || 1);
}

/** Frame `frame` (1-based) through the pipeline, as a grey (1 channel) or RGB (3 channel) raster. */
function renderFrame(image: DicomImage, frame: number, window: RenderWindow | undefined): Raster {
  const frames = frameCount(image);
  if (!Number.isInteger(frame) || frame < 1)
    throw new AppError('invalid', `frame ${frame} is not a positive integer`);
  if (frame > frames)
    throw new AppError('not-found', `frame ${frame} does not exist: the instance has ${frames} frame(s)`);
  if (window) image.setElement('VOILUTFunction', VOI_FUNCTIONS[window.function ?? 'linear']);
  // PS3.5 §G.2: RLE stores colour by plane whatever Planar Configuration says; dcmjs-imaging's pipeline
  // only reads its decoded RLE planes right when it is told they are planes.
  if (
    image.getTransferSyntaxUid() === RLE_LOSSLESS &&
    Number(image.getElement('SamplesPerPixel')) === 3 &&
    Number(image.getElement('BitsAllocated')) === 8
  ) {
    image.setElement('PlanarConfiguration', '1');
  }
  let rendered: ReturnType<DicomImage['render']>;
  try {
    rendered = image.render({
      frame: frame - 1,
      renderOverlays: false,
      ...(window ? { windowLevel: new dcmjsImaging.WindowLevel(window.width, window.center) } : {}),
    });
  } catch (err) {
    throw new AppError('unsupported', `the instance cannot be rendered: ${message(err)}`, { cause: err });
  }
  const photometric = String(image.getElement('PhotometricInterpretation') ?? '').trim();
  const grey = photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2';
  // PS3.3 C.11.6.1: INVERSE turns P-values upside down; for MONOCHROME1 the library has already inverted.
  const invert =
    photometric === 'MONOCHROME2' &&
    String(image.getElement('PresentationLUTShape') ?? '').trim() === 'INVERSE';
  return fromRgba(new Uint8Array(rendered.pixels), rendered.width, rendered.height, grey ? 1 : 3, invert);
}

/** RGBA → grey or RGB, optionally inverted: one pass over typed arrays. */
function fromRgba(rgba: Uint8Array, width: number, height: number, channels: 1 | 3, invert: boolean): Raster {
  const pixels = width * height;
  const data = new Uint8Array(pixels * channels);
  const flip = invert ? 255 : 0;
  if (channels === 1) {
    for (let i = 0; i < pixels; i++) data[i] = rgba[i * 4]! ^ flip;
  } else {
    for (let i = 0, o = 0; i < pixels; i++, o += 3) {
      data[o] = rgba[i * 4]! ^ flip;
      data[o + 1] = rgba[i * 4 + 1]! ^ flip;
      data[o + 2] = rgba[i * 4 + 2]! ^ flip;
    }
  }
  return { width, height, channels, data };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
