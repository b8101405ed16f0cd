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

/** The parts, each read while the previous one is being sent. */
async function* readAhead(
  route: Route,
  locations: readonly InstanceLocation[],
  first: Uint8Array,
): AsyncGenerator<OutgoingPart> {
  const read = (i: number) => {
    const p = route.deps.service.read(locations[i]!);
    p.catch(() => {}); // awaited below; a client gone before then must not leave it unhandled
    return p;
  };
  let next: Promise<Uint8Array> | undefined = locations.length > 1 ? read(1) : undefined;
  let body = first;
  for (let i = 0; i < locations.length; i++) {
    const loc = locations[i]!;
    yield {
      contentType: withTransferSyntax('application/dicom', loc.transferSyntaxUid),
      body,
      location: route.urls.instance(loc.studyUid, loc.seriesUid, loc.sopInstanceUid),
    };
    if (!next) break;
    body = await next;
    next = i + 2 < locations.length ? read(i + 2) : undefined;
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
