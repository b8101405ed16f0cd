import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from './env.ts';

export interface SecurityHeaderOptions {
  /** Browser origins allowed to call the API (CORS); none when empty. */
  readonly corsOrigins: readonly string[];
  /** Served over HTTPS: send HSTS (RFC 6797). */
  readonly https: boolean;
}

/**
 * Headers every API response carries: no MIME sniffing, no framing, no referrer, and no caching of
 * health data by shared caches unless a handler said otherwise (OWASP Secure Headers).
 */
export function securityHeaders(options: SecurityHeaderOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('x-content-type-options', 'nosniff');
    h.set('x-frame-options', 'DENY');
    h.set('referrer-policy', 'no-referrer');
    if (!h.has('cache-control')) h.set('cache-control', 'no-store');
    if (options.https) h.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  };
}

/**
 * CORS for the allow-listed origins only (a viewer or portal on another origin); preflights are
 * answered, credentials travel as bearer tokens (no cookies), ETag/Location are exposed.
 */
export function corsAllowList(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: [
      'authorization',
      'content-type',
      'if-match',
      'if-none-exist',
      'if-none-match',
      'prefer',
      'x-request-id',
    ],
    exposeHeaders: ['etag', 'location', 'content-location', 'last-modified', 'x-request-id', 'x-progress'],
    maxAge: 600,
  });
}
