export { bulkValue } from './bulkdata.ts';
export { initPixelCodecs } from './codecs.ts';
export { decompressPart10 } from './decompress.ts';
export type { RenderedMediaType } from './encode.ts';
export { allFrameNumbers, type ExtractedFrames, extractFrames } from './frames.ts';
export {
  type RenderOptions,
  type RenderWindow,
  renderImage,
  renderThumbnail,
  type ThumbnailOptions,
} from './render.ts';
export { fitInside } from './resize.ts';
