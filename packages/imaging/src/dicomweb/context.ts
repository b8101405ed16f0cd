import type { Context } from 'hono';
import type { ParsedInstance } from '../dicom/port.ts';
import type { ImagingCaller, ImagingService } from '../service/port.ts';
import { type DicomwebLogger, requestIdOf } from './errors.ts';
import { type MediaRange, parseAccept } from './media-type.ts';

export interface DicomwebDeps {
  readonly service: ImagingService;
  /**
   * Who is calling (built by the server from the bearer token). Throw `AppError('unauthenticated')`
   * for a missing or bad token (→ 401 with `WWW-Authenticate`). `via` and `requestId` are filled in
   * here per transaction (`stow-rs`, `qido-rs`, `wado-rs`).
   */
  readonly caller: (c: Context) => Promise<ImagingCaller> | ImagingCaller;
  /** Part 10 parser (`parsePart10` of `../dicom`), for metadata, frames and bulk data of stored bytes. */
  readonly parse: (part10: Uint8Array) => ParsedInstance;
  /** Absolute public URL where these routes are mounted, e.g. `https://pacs.example.cn/dicomweb`. */
  readonly baseUrl: string;
  /** Largest STOW-RS request body accepted (413 beyond). */
  readonly maxUploadBytes: number;
  readonly logger: DicomwebLogger;
  /** Browser origins allowed to call (CORS); the platform's `corsOrigins`. */
  readonly corsOrigins?: readonly string[];
}

/** The URLs of resources (PS3.18 §10.4.1: `{base}/studies/{s}/series/{se}/instances/{i}`). */
export class ResourceUrls {
  readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  study(study: string): string {
    return `${this.base}/studies/${encodeURIComponent(study)}`;
  }

  series(study: string, series: string): string {
    return `${this.study(study)}/series/${encodeURIComponent(series)}`;
  }

  instance(study: string, series: string, instance: string): string {
    return `${this.series(study, series)}/instances/${encodeURIComponent(instance)}`;
  }
}

export interface Route {
  readonly deps: DicomwebDeps;
  readonly urls: ResourceUrls;
}

/** The caller of one transaction, with `via` and the request id for the audit trail. */
export async function callerFor(route: Route, c: Context, via: string): Promise<ImagingCaller> {
  const caller = await route.deps.caller(c);
  const requestId = caller.requestId ?? requestIdOf(c);
  return { ...caller, via, ...(requestId === undefined ? {} : { requestId }) };
}

/** The request logger (the platform's, bound to the request id) or the routes' own. */
export function loggerOf(route: Route, c: Context): DicomwebLogger {
  const logger: unknown = c.get('logger');
  return isLogger(logger) ? logger : route.deps.logger;
}

function isLogger(value: unknown): value is DicomwebLogger {
  return typeof value === 'object' && value !== null && typeof (value as DicomwebLogger).error === 'function';
}

/**
 * The acceptable media types: the `accept` query parameter when present (PS3.18 §8.3.3.1 — it
 * takes precedence over the header, for links that cannot set headers), else the `Accept` header.
 */
export function acceptOf(c: Context): MediaRange[] {
  const fromQuery = c.req.queries('accept');
  if (fromQuery && fromQuery.length > 0) return parseAccept(fromQuery.join(','));
  return parseAccept(c.req.header('accept'));
}

/** Bytes as a `Response` body (which wants ArrayBuffer-backed views; a shared buffer is copied). */
export function asBody(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
