import { AppError } from '@yiyun/fhir';
import type { Context } from 'hono';
import type { InstanceLocation, InstanceSelector } from '../service/port.ts';
import { acceptOf, asBody, callerFor, loggerOf, type Route } from './context.ts';
import { NotAcceptableError } from './errors.ts';
import {
  contentTypeOf,
  MIXED_TRANSFER_SYNTAXES,
  negotiate,
  type Offer,
  withTransferSyntax,
} from './media-type.ts';
import { multipartStream, newBoundary, type OutgoingPart } from './multipart-writer.ts';

/**
 * WADO-RS retrieval of instances (PS3.18 §10.4): study, series and instance resources as
 * `multipart/related; type="application/dicom"`, each part the stored Part 10 bytes exactly as
 * received (no transcoding: a request for another transfer syntax is 406), streamed instance by
 * instance with the next read already under way.
 */

/** The visible instances under a selector; 404 when there are none (or none the caller may see). */
export async function locateOr404(route: Route, c: Context, selector: InstanceSelector) {
  const caller = await callerFor(route, c, 'wado-rs');
  const locations = await route.deps.service.locate(selector, caller);
  if (locations.length === 0) throw new AppError('not-found', `no ${describe(selector)} was found`);
  return locations;
}

function describe(selector: InstanceSelector): string {
  if (selector.instance)
    return `instance ${selector.instance} in series ${selector.series} of study ${selector.study}`;
  if (selector.series) return `series ${selector.series} in study ${selector.study}`;
  return `study ${selector.study}`;
}

/** The one transfer syntax of the instances, or MIXED_TRANSFER_SYNTAXES. */
export function commonTransferSyntax(locations: readonly InstanceLocation[]): string {
  const syntaxes = new Set(locations.map((l) => l.transferSyntaxUid));
  const [only] = syntaxes;
  return syntaxes.size === 1 && only !== undefined ? only : MIXED_TRANSFER_SYNTAXES;
}

export async function retrieveInstances(
  route: Route,
  c: Context,
  selector: InstanceSelector,
): Promise<Response> {
  const locations = await locateOr404(route, c, selector);
  const transferSyntax = commonTransferSyntax(locations);
  const offers: Offer[] = [{ multipart: true, type: 'application/dicom', transferSyntax }];
  // A single instance may also be asked for as a bare application/dicom body.
  if (selector.instance) offers.push({ multipart: false, type: 'application/dicom', transferSyntax });
  const offer = negotiate(acceptOf(c), offers);
  if (!offer)
    throw notAcceptable(
      c,
      'multipart/related; type="application/dicom" (transfer-syntax=* or the stored one)',
      transferSyntax,
    );
  const first = await route.deps.service.read(locations[0]!);
  if (!offer.multipart) {
    return new Response(asBody(first), {
      headers: { 'content-type': contentTypeOf(offer), 'content-length': String(first.length) },
    });
  }
  const boundary = newBoundary();
  const parts = readAhead(route, locations, first);
  const log = loggerOf(route, c);
  const stream = multipartStream(parts, boundary, (err) => {
    log.error({ err: { type: err instanceof Error ? err.name : typeof err } }, 'wado-rs stream aborted');
  });
  return new Response(stream, { headers: { 'content-type': contentTypeOf(offer, boundary) } });
}

/**
 * Reads ahead at most this many bytes (and instances) beyond the part being sent: each read waits
 * on the catalog, the disk and a SHA-256, so a few in flight keep the socket busy; the bound keeps
 * a study of large objects from being held in memory.
 */
const READ_AHEAD_BYTES = 8 * 1024 * 1024;
const READ_AHEAD_MAX = 8;

/** The parts, the next ones already being read while one is sent. */
async function* readAhead(
  route: Route,
  locations: readonly InstanceLocation[],
  first: Uint8Array,
): AsyncGenerator<OutgoingPart> {
  const pending: Promise<Uint8Array>[] = [Promise.resolve(first)];
  let next = 1;
  let ahead = 0;
  const fill = () => {
    while (
      next < locations.length &&
      pending.length <= READ_AHEAD_MAX &&
      (pending.length <= 1 || ahead + locations[next]!.size <= READ_AHEAD_BYTES)
    ) {
      const p = route.deps.service.read(locations[next]!);
      p.catch(() => {}); // awaited below; a client gone before then must not leave it unhandled
      ahead += locations[next]!.size;
      pending.push(p);
      next++;
    }
  };
  for (let i = 0; i < locations.length; i++) {
    fill();
    const body = await pending.shift()!;
    if (i > 0) ahead -= locations[i]!.size;
    const loc = locations[i]!;
    yield {
      contentType: withTransferSyntax('application/dicom', loc.transferSyntaxUid),
      body,
      location: route.urls.instance(loc.studyUid, loc.seriesUid, loc.sopInstanceUid),
    };
  }
}

/** 406 naming what can be had (PS3.18 §8.7.1; a transfer syntax not stored is never produced). */
export function notAcceptable(c: Context, offered: string, transferSyntax?: string): NotAcceptableError {
  const asked = (c.req.header('accept') ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 200);
  const stored =
    transferSyntax && transferSyntax !== MIXED_TRANSFER_SYNTAXES
      ? `; stored in transfer syntax ${transferSyntax}`
      : '';
  return new NotAcceptableError(
    `none of the media types in Accept "${asked}" can be produced: offered ${offered}${stored} (no transcoding)`,
  );
}
