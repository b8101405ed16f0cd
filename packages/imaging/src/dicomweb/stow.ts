import { AppError, isAppError } from '@yiyun/fhir';
import type { Context } from 'hono';
import { dicomStatusOf } from '../dicom/index.ts';
import type { ImagingCaller } from '../service/port.ts';
import { callerFor, loggerOf, type Route } from './context.ts';
import { errorFields, warningHeader } from './errors.ts';
import { type MediaType, parseMediaType } from './media-type.ts';
import { chunksOf, MAX_PREALLOCATED, type MultipartPart, readMultipart } from './multipart-reader.ts';
import { type StowOutcome, stowAnswer } from './stow-response.ts';

/**
 * STOW-RS Store Instances (PS3.18 §10.5): `POST /studies[/{study}]` with a
 * `multipart/related; type="application/dicom"` body of Part 10 instances. The whole body is read and
 * its framing checked before anything is stored: a malformed, truncated, oversized or aborted upload
 * stores nothing. Then each instance is stored on its own and answered per instance (§10.5.3).
 * Only Part 10 parts are supported: the metadata-and-bulk-data form (`application/dicom+json` or
 * `+xml` root parts, §10.5.1.2.2) is refused with 415. A single `application/dicom` body (one
 * instance, not multipart) is accepted too, as other cloud DICOM services do.
 */
export async function storeInstances(route: Route, c: Context, expectedStudy?: string): Promise<Response> {
  const caller = await callerFor(route, c, 'stow-rs');
  if (!caller.canStore) throw new AppError('forbidden', 'this caller may not store instances');
  const contentType = requestType(c.req.header('content-type'));
  const length = checkLength(c.req.header('content-length'), route.deps.maxUploadBytes);
  const body = requestBody(c);
  if (!body) throw new AppError('invalid', 'the request has no body');
  const limits = {
    maxBytes: route.deps.maxUploadBytes,
    ...(length === undefined ? {} : { expectedBytes: length }),
  };
  const parts = await readParts(body, contentType, limits).catch((err: unknown) => {
    // The request stream fails only when the client or connection went away mid-body: an
    // incomplete body, of which nothing is stored.
    if (isAppError(err)) throw err;
    throw new AppError('invalid', 'the upload was aborted before the body was complete: nothing was stored');
  });
  if (parts.length === 0) throw new AppError('invalid', 'the multipart body holds no instances');
  const outcomes: StowOutcome[] = [];
  for (const part of parts) outcomes.push(await storeOne(route, c, { part, caller, expectedStudy }));
  const answer = stowAnswer(outcomes, {
    study: (uid) => route.urls.study(uid),
    instance: (r) => route.urls.instance(r.studyUid, r.seriesUid, r.sopInstanceUid),
  });
  const headers = new Headers({ 'content-type': 'application/dicom+json' });
  for (const w of answer.warnings.slice(0, 20)) headers.append('warning', warningHeader(w));
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

type RequestType = { readonly single: true } | { readonly single: false; readonly boundary: string };

/** PS3.18 §10.5.1.1: the request's media type; 415 for anything but Part 10 instances. */
function requestType(header: string | undefined): RequestType {
  if (!header) {
    throw new AppError(
      'unsupported-media-type',
      'Content-Type is required: multipart/related; type="application/dicom"',
    );
  }
  const media = parseMediaType(header);
  if (media?.essence === 'application/dicom') return { single: true };
  if (media?.essence !== 'multipart/related') {
    throw new AppError(
      'unsupported-media-type',
      `Content-Type ${media?.essence ?? 'that is malformed'} is not supported: send multipart/related; type="application/dicom"`,
    );
  }
  checkRootType(media);
  const boundary = media.params.get('boundary');
  if (!boundary)
    throw new AppError('invalid', 'malformed multipart body: the Content-Type has no boundary parameter');
  return { single: false, boundary };
}

function checkRootType(media: MediaType): void {
  const type = media.params.get('type')?.toLowerCase();
  if (type === undefined || type === 'application/dicom') return;
  if (type === 'application/dicom+json' || type === 'application/dicom+xml') {
    throw new AppError(
      'unsupported-media-type',
      `STOW-RS of metadata with bulk data (type="${type}") is not supported: send Part 10 instances as type="application/dicom"`,
    );
  }
  throw new AppError(
    'unsupported-media-type',
    `multipart/related type "${type}" is not supported: use type="application/dicom"`,
  );
}

/** The declared body size (to allocate the body once), refused at once when over the limit. */
function checkLength(header: string | undefined, max: number): number | undefined {
  if (header === undefined) return undefined;
  const length = Number(header);
  if (Number.isFinite(length) && length > max) {
    throw new AppError('too-large', `request body of ${length} bytes exceeds the limit of ${max} bytes`);
  }
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * The request body as chunks: Node's own request stream when the server runs on Node and nothing
 * has read it yet (the web-stream adapter behind `c.req.raw.body` copies every chunk once more:
 * ~1 MB of garbage per 525 KB upload), else the web stream.
 */
function requestBody(c: Context): AsyncIterable<Uint8Array> | null {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (isUnreadNodeStream(incoming)) return incoming;
  const web = c.req.raw.body;
  return web ? chunksOf(web) : null;
}

function isUnreadNodeStream(value: unknown): value is AsyncIterable<Uint8Array> {
  if (typeof value !== 'object' || value === null) return false;
  const stream = value as { readableDidRead?: unknown; readableEncoding?: unknown };
  return (
    stream.readableDidRead === false && stream.readableEncoding === null && Symbol.asyncIterator in value
  );
}

interface BodyLimits {
  readonly maxBytes: number;
  readonly expectedBytes?: number;
}

async function readParts(
  body: AsyncIterable<Uint8Array>,
  type: RequestType,
  limits: BodyLimits,
): Promise<MultipartPart[]> {
  if (type.single)
    return [{ headers: new Map([['content-type', 'application/dicom']]), body: await readAll(body, limits) }];
  return readMultipart(body, type.boundary, {
    ...limits,
    onPartHeaders: (headers, index) => {
      const partType = headers.get('content-type');
      // RFC 2387 §3.1: a part without Content-Type is of the root's type, application/dicom here.
      if (partType === undefined || parseMediaType(partType)?.essence === 'application/dicom') return;
      throw new AppError(
        'unsupported-media-type',
        `part ${index + 1} is ${partType.slice(0, 80)}, not application/dicom: nothing was stored`,
      );
    },
  });
}

/** A bare `application/dicom` body, copied once (into a buffer of the declared size when there is one). */
async function readAll(body: AsyncIterable<Uint8Array>, limits: BodyLimits): Promise<Uint8Array> {
  const { maxBytes } = limits;
  let buffer = Buffer.allocUnsafe(Math.min(limits.expectedBytes ?? 64 * 1024, MAX_PREALLOCATED));
  let size = 0;
  for await (const value of body) {
    if (size + value.length > maxBytes)
      throw new AppError('too-large', `request body exceeds the limit of ${maxBytes} bytes`);
    if (size + value.length > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(size + value.length, buffer.length * 2), maxBytes));
      buffer.copy(grown, 0, 0, size);
      buffer = grown;
    }
    buffer.set(value, size);
    size += value.length;
  }
  if (size === 0) throw new AppError('invalid', 'the request body is empty');
  return buffer.subarray(0, size);
}

interface StoreOne {
  readonly part: MultipartPart;
  readonly caller: ImagingCaller;
  readonly expectedStudy: string | undefined;
}

async function storeOne(
  route: Route,
  c: Context,
  { part, caller, expectedStudy }: StoreOne,
): Promise<StowOutcome> {
  try {
    const result = await route.deps.service.store(part.body, caller, expectedStudy ? { expectedStudy } : {});
    return { kind: 'stored', result };
  } catch (err) {
    if (!isAppError(err) || err.code === 'internal') {
      loggerOf(route, c).error({ reqId: caller.requestId, err: errorFields(err) }, 'stow-rs instance failed');
    }
    const { status, reason } = dicomStatusOf(err);
    return { kind: 'failed', ...identify(route, part.body), status, reason };
  }
}

/** The SOP Class and Instance UIDs of a refused part, when it parses far enough to have them. */
function identify(route: Route, bytes: Uint8Array): { sopClassUid?: string; sopInstanceUid?: string } {
  try {
    const parsed = route.deps.parse(bytes);
    return { sopClassUid: parsed.sopClassUid, sopInstanceUid: parsed.sopInstanceUid };
  } catch {
    return {};
  }
}
