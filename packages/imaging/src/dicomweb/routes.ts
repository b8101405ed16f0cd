import { type Context, Hono } from 'hono';
import { capabilitiesSummary, capabilitiesWadl } from './capabilities.ts';
import { type DicomwebDeps, loggerOf, ResourceUrls, type Route } from './context.ts';
import { dicomwebCors } from './cors.ts';
import { errorResponse } from './errors.ts';
import { retrieveBulkdata, retrieveFrames } from './frames.ts';
import { parseAccept } from './media-type.ts';
import { retrieveMetadata } from './metadata.ts';
import { search } from './qido.ts';
import { retrieveRendered } from './rendered.ts';
import { storeInstances } from './stow.ts';
import { retrieveInstances } from './wado.ts';

type Handler = (c: Context) => Promise<Response>;
type RouteSpec = readonly ['GET' | 'POST', string, Handler];

const param = (c: Context, name: string) => c.req.param(name) ?? '';
const study = (c: Context) => ({ study: param(c, 'study') });
const series = (c: Context) => ({ ...study(c), series: param(c, 'series') });
const instance = (c: Context) => ({ ...series(c), instance: param(c, 'instance') });
const I = '/studies/:study/series/:series/instances/:instance';

/** STOW-RS (PS3.18 §10.5) and QIDO-RS (§10.6). */
function storeAndSearch(route: Route): RouteSpec[] {
  return [
    ['POST', '/studies', (c) => storeInstances(route, c)],
    ['POST', '/studies/:study', (c) => storeInstances(route, c, param(c, 'study'))],
    ['GET', '/studies', (c) => search(route, c, { level: 'study' })],
    ['GET', '/series', (c) => search(route, c, { level: 'series' })],
    ['GET', '/instances', (c) => search(route, c, { level: 'instance' })],
    ['GET', '/studies/:study/series', (c) => search(route, c, { level: 'series', ...study(c) })],
    ['GET', '/studies/:study/instances', (c) => search(route, c, { level: 'instance', ...study(c) })],
    [
      'GET',
      '/studies/:study/series/:series/instances',
      (c) => search(route, c, { level: 'instance', ...series(c) }),
    ],
  ];
}

/** WADO-RS (§10.4): instances, metadata, frames, bulk data, rendered and thumbnails. */
function retrieve(route: Route): RouteSpec[] {
  const specs: RouteSpec[] = [
    ['GET', '/studies/:study', (c) => retrieveInstances(route, c, study(c))],
    ['GET', '/studies/:study/series/:series', (c) => retrieveInstances(route, c, series(c))],
    ['GET', I, (c) => retrieveInstances(route, c, instance(c))],
    ['GET', '/studies/:study/metadata', (c) => retrieveMetadata(route, c, study(c))],
    ['GET', '/studies/:study/series/:series/metadata', (c) => retrieveMetadata(route, c, series(c))],
    ['GET', `${I}/metadata`, (c) => retrieveMetadata(route, c, instance(c))],
    ['GET', `${I}/frames/:frames`, (c) => retrieveFrames(route, c, instance(c), param(c, 'frames'))],
    ['GET', `${I}/bulkdata/:path{.+}`, (c) => retrieveBulkdata(route, c, instance(c), param(c, 'path'))],
  ];
  for (const kind of ['rendered', 'thumbnail'] as const) {
    const thumbnail = kind === 'thumbnail';
    const frames = (c: Context) => param(c, 'frames');
    specs.push(
      [
        'GET',
        `/studies/:study/${kind}`,
        (c) => retrieveRendered(route, c, { selector: study(c), thumbnail }),
      ],
      [
        'GET',
        `/studies/:study/series/:series/${kind}`,
        (c) => retrieveRendered(route, c, { selector: series(c), thumbnail }),
      ],
      ['GET', `${I}/${kind}`, (c) => retrieveRendered(route, c, { selector: instance(c), thumbnail })],
      [
        'GET',
        `${I}/frames/:frames/${kind}`,
        (c) => retrieveRendered(route, c, { selector: instance(c), frames: frames(c), thumbnail }),
      ],
    );
  }
  return specs;
}

/**
 * The DICOMweb edge (PS3.18): STOW-RS, QIDO-RS, WADO-RS and Retrieve Capabilities, to mount at
 * `/dicomweb`. Routes only turn HTTP into `ImagingService` calls and render the answers; access
 * control happens in the service with the caller `deps.caller` builds. See README.md.
 */
export function dicomwebRoutes(deps: DicomwebDeps): Hono {
  const route: Route = { deps, urls: new ResourceUrls(deps.baseUrl) };
  const app = new Hono();
  app.use('*', dicomwebCors(deps.corsOrigins ?? []));
  const run =
    (fn: Handler) =>
    async (c: Context): Promise<Response> => {
      try {
        return await fn(c);
      } catch (err) {
        return errorResponse(c, err, loggerOf(route, c));
      }
    };
  // Retrieve Capabilities (PS3.18 §8.9, Annex H) at the service root, with or without the trailing
  // slash (mounted under a prefix, Hono's `/` route only matches the bare prefix).
  app.on(
    ['OPTIONS', 'GET'],
    '/',
    run(async (c) => capabilities(c, route.urls.base)),
  );
  app.use('*', async (c, next) => {
    const mount = c.req.routePath.replace(/\/?\*$/, '');
    const isRoot = c.req.path === `${mount}/`;
    if (isRoot && (c.req.method === 'GET' || c.req.method === 'OPTIONS'))
      return capabilities(c, route.urls.base);
    await next();
  });
  app.get('/capabilities', (c) => c.json(capabilitiesSummary(route.urls.base)));
  for (const [method, path, handler] of [...storeAndSearch(route), ...retrieve(route)]) {
    app.on(method, path, run(handler));
  }
  app.notFound((c) => c.json({ error: 'not-found', message: 'no DICOMweb resource at this path' }, 404));
  app.onError((err, c) => errorResponse(c, err, loggerOf(route, c)));
  return app;
}

/** WADL by default; the JSON summary when JSON is preferred. */
async function capabilities(c: Context, base: string): Promise<Response> {
  const best = parseAccept(c.req.header('accept'))[0]?.essence;
  if (best === 'application/json' || best === 'application/dicom+json')
    return c.json(capabilitiesSummary(base));
  return new Response(capabilitiesWadl(base), {
    headers: { 'content-type': 'application/vnd.sun.wadl+xml' },
  });
}
