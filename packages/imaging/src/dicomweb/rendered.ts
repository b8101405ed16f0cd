import { AppError, isAppError } from '@yiyun/fhir';
import type { Context } from 'hono';
import type { RenderedMediaType } from '../pixels/encode.ts';
import { type RenderOptions, type RenderWindow, renderImage, renderThumbnail } from '../pixels/render.ts';
import type { InstanceLocation, InstanceSelector } from '../service/port.ts';
import { acceptOf, asBody, loggerOf, type Route } from './context.ts';
import { NotAcceptableError } from './errors.ts';
import { parseFrameList } from './frames.ts';
import { contentTypeOf, negotiate, type Offer } from './media-type.ts';
import { multipartStream, newBoundary, type OutgoingPart } from './multipart-writer.ts';
import { locateOr404, notAcceptable } from './wado.ts';

/**
 * WADO-RS Retrieve Rendered and Thumbnail (PS3.18 §10.4.1.1.3/§10.4.1.1.6, query parameters §8.3.5.1):
 * `image/jpeg` (default) or `image/png`; `quality`, `window=center,width[,function]`,
 * `viewport=vw,vh`. An instance, frame or study with nothing renderable is 406 (§8.3.5.1: the
 * requested rendered media type cannot be produced). A study or series renders as a multipart of its
 * instances' first frames; its thumbnail is that of a representative (middle) instance.
 */
const FORMATS: readonly RenderedMediaType[] = ['image/jpeg', 'image/png'];

export interface RenderParams {
  readonly quality?: number;
  readonly window?: RenderWindow;
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** PS3.18 §8.3.5.1 rendering parameters; `annotation` and `iccprofile` are accepted and ignored. */
export function parseRenderParams(q: URLSearchParams): RenderParams {
  const quality = q.get('quality');
  const window = q.get('window');
  const viewport = q.get('viewport');
  return {
    ...(quality === null ? {} : { quality: integer('quality', quality, 1, 100) }),
    ...(window === null ? {} : { window: parseWindow(window) }),
    ...(viewport === null ? {} : { viewport: parseViewport(viewport) }),
  };
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new AppError('invalid', `${name} must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}

function parseWindow(value: string): RenderWindow {
  const [center, width, fn, extra] = value.split(',').map((s) => s.trim());
  const c = Number(center);
  const w = Number(width);
  if (!center || !width || extra !== undefined || !Number.isFinite(c) || !Number.isFinite(w)) {
    throw new AppError('invalid', 'window must be center,width[,function]');
  }
  const f = fn?.toLowerCase();
  if (f !== undefined && f !== 'linear' && f !== 'linear-exact' && f !== 'sigmoid') {
    throw new AppError('invalid', 'window function must be linear, linear-exact or sigmoid');
  }
  return { center: c, width: w, ...(f === undefined ? {} : { function: f }) };
}

function parseViewport(value: string): { width: number; height: number } {
  const parts = value.split(',');
  // vw,vh or vw,vh,sx,sy,sw,sh (§8.3.5.1.3); source cropping is not supported.
  if (parts.length !== 2 && parts.length !== 6) throw new AppError('invalid', 'viewport must be vw,vh');
  if (parts.length === 6 && parts.slice(2).some((p) => p.trim() !== '')) {
    throw new AppError('invalid', 'viewport source region (sx,sy,sw,sh) is not supported: use vw,vh');
  }
  return {
    width: integer('viewport width', parts[0]!.trim(), 1, 8192),
    height: integer('viewport height', parts[1]!.trim(), 1, 8192),
  };
}

function formatOffers(multipart: boolean): Offer[] {
  return FORMATS.map((type) => ({ multipart, type }));
}

function chooseFormat(c: Context, multipart: boolean): RenderedMediaType {
  const offer = negotiate(acceptOf(c), formatOffers(multipart));
  if (!offer) throw notAcceptable(c, FORMATS.join(', '));
  return offer.type as RenderedMediaType;
}

/** Rendering errors that mean "cannot be had as an image" are 406; others keep their status. */
function asNotAcceptable(err: unknown): unknown {
  if (isAppError(err) && (err.code === 'unsupported' || err.code === 'unsupported-media-type')) {
    return new NotAcceptableError(err.message);
  }
  return err;
}

export interface RenderRequest {
  readonly selector: InstanceSelector;
  /** `…/frames/{list}/rendered` */
  readonly frames?: string;
  readonly thumbnail: boolean;
}

export async function retrieveRendered(route: Route, c: Context, request: RenderRequest): Promise<Response> {
  const params = parseRenderParams(new URL(c.req.url).searchParams);
  const frameNumbers = request.frames === undefined ? undefined : parseFrameList(request.frames);
  const multipart = !request.selector.instance || (frameNumbers !== undefined && frameNumbers.length > 1);
  const format = chooseFormat(c, multipart && !request.thumbnail);
  const locations = await locateOr404(route, c, request.selector);
  try {
    if (request.thumbnail) {
      const image = await thumbnail(route, representative(locations), format, params, frameNumbers?.[0]);
      return imageResponse(image, format);
    }
    if (!multipart) {
      const part10 = await route.deps.service.read(locations[0]!);
      const image = await renderImage(part10, renderOptions(format, params, frameNumbers?.[0]));
      return imageResponse(image, format);
    }
    return await renderedMultipart(route, c, { locations, format, params, frameNumbers });
  } catch (err) {
    throw asNotAcceptable(err);
  }
}

function renderOptions(
  format: RenderedMediaType,
  params: RenderParams,
  frame: number | undefined,
): RenderOptions {
  return { format, ...params, ...(frame === undefined ? {} : { frame }) };
}

async function thumbnail(
  route: Route,
  location: InstanceLocation,
  format: RenderedMediaType,
  params: RenderParams,
  frame: number | undefined,
): Promise<Uint8Array> {
  const part10 = await route.deps.service.read(location);
  const size = params.viewport ? Math.min(params.viewport.width, params.viewport.height) : undefined;
  if (frame !== undefined) {
    const viewport = params.viewport ?? { width: 128, height: 128 };
    return renderImage(part10, renderOptions(format, { ...params, viewport }, frame));
  }
  return renderThumbnail(part10, {
    format,
    ...(size === undefined ? {} : { size }),
    ...(params.quality ? { quality: params.quality } : {}),
  });
}

/** The middle instance of the first series (in the order the index gives them). */
function representative(locations: readonly InstanceLocation[]): InstanceLocation {
  const series = locations[0]!.seriesUid;
  const inSeries = locations.filter((l) => l.seriesUid === series);
  return inSeries[Math.floor(inSeries.length / 2)]!;
}

interface MultipartRender {
  readonly locations: readonly InstanceLocation[];
  readonly format: RenderedMediaType;
  readonly params: RenderParams;
  readonly frameNumbers: readonly number[] | undefined;
}

/**
 * A multipart of rendered images: the requested frames of one instance, or the first frame of each
 * instance of a study or series. The first image is rendered before answering, so an unrenderable
 * resource is a 406 rather than a broken stream; later instances that cannot be rendered are skipped.
 */
async function renderedMultipart(route: Route, c: Context, r: MultipartRender): Promise<Response> {
  const jobs = r.frameNumbers
    ? r.frameNumbers.map((frame) => ({ location: r.locations[0]!, frame }))
    : r.locations.map((location) => ({ location, frame: 1 }));
  const render = async (job: { location: InstanceLocation; frame: number }) =>
    renderImage(await route.deps.service.read(job.location), renderOptions(r.format, r.params, job.frame));
  const first = await render(jobs[0]!);
  const log = loggerOf(route, c);
  async function* parts(): AsyncGenerator<OutgoingPart> {
    yield { contentType: r.format, body: first };
    for (const job of jobs.slice(1)) {
      try {
        yield { contentType: r.format, body: await render(job) };
      } catch (err) {
        if (!isAppError(err) || r.frameNumbers) throw err;
        log.warn({ reason: err.code }, 'wado-rs rendered: instance skipped');
      }
    }
  }
  const boundary = newBoundary();
  const stream = multipartStream(parts(), boundary, () => log.warn({}, 'wado-rs rendered stream aborted'));
  return new Response(stream, {
    headers: { 'content-type': contentTypeOf({ multipart: true, type: r.format }, boundary) },
  });
}

function imageResponse(image: Uint8Array, format: RenderedMediaType): Response {
  return new Response(asBody(image), {
    headers: { 'content-type': format, 'content-length': String(image.length) },
  });
}
