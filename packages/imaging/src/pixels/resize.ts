/** An 8-bit image, `channels` interleaved samples per pixel (1: grey, 3: RGB, 4: RGBA). */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

/** The largest size that fits inside `box` with the aspect ratio of `width`×`height` (PS3.18 §8.3.5.1.2). */
export function fitInside(
  width: number,
  height: number,
  box: { readonly width: number; readonly height: number },
): { width: number; height: number } {
  const scale = Math.min(box.width / width, box.height / height);
  return {
    width: Math.max(1, Math.min(box.width, Math.round(width * scale))),
    height: Math.max(1, Math.min(box.height, Math.round(height * scale))),
  };
}

/** Source taps of each output coordinate along one axis: flat arrays, so the hot loops call nothing. */
interface Taps {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float32Array;
  readonly stride: number;
}

/**
 * Area average when shrinking (each output pixel is the mean of the source area it covers, partial pixels
 * weighted by coverage) and bilinear when enlarging: no aliasing down, no blockiness up.
 */
function taps(from: number, to: number): Taps {
  const ratio = from / to;
  const stride = ratio > 1 ? Math.ceil(ratio) + 1 : 2;
  const start = new Int32Array(to);
  const count = new Int32Array(to);
  const weights = new Float32Array(to * stride);
  for (let o = 0; o < to; o++) {
    if (ratio > 1) {
      const left = o * ratio;
      const right = Math.min(from, left + ratio);
      const first = Math.floor(left);
      const last = Math.min(from - 1, Math.ceil(right) - 1);
      start[o] = first;
      count[o] = last - first + 1;
      for (let s = first; s <= last; s++) {
        weights[o * stride + s - first] = (Math.min(right, s + 1) - Math.max(left, s)) / ratio;
      }
    } else {
      const centre = Math.min(from - 1, Math.max(0, (o + 0.5) * ratio - 0.5));
      const first = Math.min(from - 1, Math.floor(centre));
      const frac = centre - first;
      start[o] = first;
      count[o] = first + 1 < from ? 2 : 1;
      weights[o * stride] = count[o] === 2 ? 1 - frac : 1;
      weights[o * stride + 1] = frac;
    }
  }
  return { start, count, weights, stride };
}

/** `source` resampled to `width`×`height`: a horizontal pass into floats, then a vertical pass. */
export function resample(source: Raster, width: number, height: number): Raster {
  if (width === source.width && height === source.height) return source;
  const ch = source.channels;
  const src = source.data;
  const sw = source.width;
  const h = taps(sw, width);
  const v = taps(source.height, height);
  const rowLength = width * ch;
  const tmp = new Float32Array(rowLength * source.height);
  for (let y = 0; y < source.height; y++) {
    const srcRow = y * sw * ch;
    const tmpRow = y * rowLength;
    for (let x = 0; x < width; x++) {
      const first = h.start[x]!;
      const n = h.count[x]!;
      const w0 = x * h.stride;
      for (let c = 0; c < ch; c++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += src[srcRow + (first + k) * ch + c]! * h.weights[w0 + k]!;
        tmp[tmpRow + x * ch + c] = sum;
      }
    }
  }
  const out = new Uint8ClampedArray(rowLength * height);
  for (let y = 0; y < height; y++) {
    const first = v.start[y]!;
    const n = v.count[y]!;
    const w0 = y * v.stride;
    const outRow = y * rowLength;
    for (let i = 0; i < rowLength; i++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += tmp[(first + k) * rowLength + i]! * v.weights[w0 + k]!;
      out[outRow + i] = sum; // clamped and rounded
    }
  }
  return { width, height, channels: ch, data: new Uint8Array(out.buffer) };
}
