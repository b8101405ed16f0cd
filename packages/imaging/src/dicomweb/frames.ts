import { AppError } from '@yiyun/fhir';
import type { Context } from 'hono';
import { transferSyntaxOf } from '../dicom/index.ts';
import { bulkValue } from '../pixels/bulkdata.ts';
import { extractFrames } from '../pixels/frames.ts';
import type { InstanceSelector } from '../service/port.ts';
import { acceptOf, asBody, type Route } from './context.ts';
import { contentTypeOf, negotiate, type Offer, withTransferSyntax } from './media-type.ts';
import { multipartBytes, newBoundary } from './multipart-writer.ts';
import { locateOr404, notAcceptable } from './wado.ts';

/**
 * WADO-RS Retrieve Frames (PS3.18 §10.4.1.1.4, §8.7.3.5) and Retrieve Bulkdata (§10.4.1.1.5):
 * native frames as `application/octet-stream` (Explicit VR Little Endian), encapsulated frames as the
 * media type of their transfer syntax (Table 8.7.3-5: image/jpeg, image/jls, image/jp2, image/jphc …)
 * or as octet-stream, each part labelled with its `transfer-syntax`.
 */
const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';
const OCTET = 'application/octet-stream';

/** PS3.18 Table 8.7.3-5, then names clients also send (dicomweb-client's image/x-jls, image/jhc …). */
const FRAME_MEDIA_TYPES: ReadonlyMap<string, readonly string[]> = new Map([
  ['1.2.840.10008.1.2.4.50', ['image/jpeg']],
  ['1.2.840.10008.1.2.4.51', ['image/jpeg']],
  ['1.2.840.10008.1.2.4.57', ['image/jpeg']],
  ['1.2.840.10008.1.2.4.70', ['image/jpeg']],
  ['1.2.840.10008.1.2.4.80', ['image/jls', 'image/x-jls']],
  ['1.2.840.10008.1.2.4.81', ['image/jls', 'image/x-jls']],
  ['1.2.840.10008.1.2.4.90', ['image/jp2']],
  ['1.2.840.10008.1.2.4.91', ['image/jp2']],
  ['1.2.840.10008.1.2.4.92', ['image/jpx']],
  ['1.2.840.10008.1.2.4.93', ['image/jpx']],
  ['1.2.840.10008.1.2.4.201', ['image/jphc', 'image/jhc']],
  ['1.2.840.10008.1.2.4.202', ['image/jphc', 'image/jhc']],
  ['1.2.840.10008.1.2.4.203', ['image/jphc', 'image/jhc']],
  ['1.2.840.10008.1.2.5', ['image/dicom-rle', 'image/x-dicom-rle']],
]);

/** `1,3,5` → [1, 3, 5] (PS3.18 §8.3.3.3: a comma-separated list of positive integers). */
export function parseFrameList(list: string): number[] {
  const numbers = list.split(',').map((s) => s.trim());
  if (numbers.length === 0 || numbers.some((n) => !/^[1-9]\d{0,8}$/.test(n))) {
    throw new AppError('invalid', 'frame numbers must be a comma-separated list of integers ≥ 1');
  }
  return numbers.map(Number);
}

/** What frames of an instance stored in `storedSyntax` can be sent as. */
export function frameOffers(storedSyntax: string, count: number): Offer[] {
  const ts = transferSyntaxOf(storedSyntax);
  const encapsulated = ts?.encapsulated ?? FRAME_MEDIA_TYPES.has(storedSyntax);
  const frameSyntax = encapsulated ? storedSyntax : EXPLICIT_LITTLE;
  const types = encapsulated ? [...(FRAME_MEDIA_TYPES.get(storedSyntax) ?? []), OCTET] : [OCTET];
  const multipart = types.map((type) => ({ multipart: true, type, transferSyntax: frameSyntax }));
  const single =
    count === 1 ? types.map((type) => ({ multipart: false, type, transferSyntax: frameSyntax })) : [];
  return [...multipart, ...single];
}

export async function retrieveFrames(
  route: Route,
  c: Context,
  selector: InstanceSelector,
  list: string,
): Promise<Response> {
  const frameNumbers = parseFrameList(list);
  const [location] = await locateOr404(route, c, selector);
  const offers = frameOffers(location!.transferSyntaxUid, frameNumbers.length);
  const offer = negotiate(acceptOf(c), offers);
  if (!offer) throw notAcceptable(c, offers.map((o) => o.type).join(', '), offers[0]?.transferSyntax);
  const part10 = await route.deps.service.read(location!);
  const extracted = extractFrames(part10, route.deps.parse(part10), frameNumbers);
  const partType = withTransferSyntax(offer.type, extracted.transferSyntaxUid);
  if (!offer.multipart) return single(extracted.frames[0]!, partType);
  const boundary = newBoundary();
  const body = multipartBytes(
    extracted.frames.map((frame) => ({ contentType: partType, body: frame })),
    boundary,
  );
  return new Response(asBody(body), { headers: { 'content-type': contentTypeOf(offer, boundary) } });
}

const BULK_OFFERS: readonly Offer[] = [
  { multipart: true, type: OCTET },
  { multipart: false, type: OCTET },
];

export async function retrieveBulkdata(
  route: Route,
  c: Context,
  selector: InstanceSelector,
  path: string,
): Promise<Response> {
  if (!/^[0-9A-Fa-f]{8}(\.\d+\.[0-9A-Fa-f]{8})*$/.test(path)) {
    throw new AppError('not-found', 'no bulk data at that path');
  }
  const offer = negotiate(acceptOf(c), BULK_OFFERS);
  if (!offer) throw notAcceptable(c, 'multipart/related; type="application/octet-stream"');
  const [location] = await locateOr404(route, c, selector);
  const part10 = await route.deps.service.read(location!);
  const value = bulkValue(part10, route.deps.parse(part10), path.toUpperCase());
  if (!offer.multipart) return single(value, OCTET);
  const boundary = newBoundary();
  const body = multipartBytes([{ contentType: OCTET, body: value }], boundary);
  return new Response(asBody(body), { headers: { 'content-type': contentTypeOf(offer, boundary) } });
}

function single(body: Uint8Array, contentType: string): Response {
  return new Response(asBody(body), {
    headers: { 'content-type': contentType, 'content-length': String(body.length) },
  });
}
