import type { MiddlewareHandler } from 'hono';

/**
 * CORS for a browser viewer on another origin (the Fetch standard's CORS protocol). Only allow-listed origins get CORS headers; credentials are bearer tokens, not cookies.
 * A viewer's `Accept: multipart/related; type="application/dicom"` contains `"`, which makes Accept
 * a non-safelisted header, so the preflight must allow it; `Warning` (QIDO/STOW) must be exposed.
 * Only a real preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`) is answered
 * here: a plain `OPTIONS /` is the Retrieve Capabilities transaction.
 */
export const ALLOWED_HEADERS = ['authorization', 'accept', 'content-type', 'x-request-id'];
export const EXPOSED_HEADERS = [
  'content-type',
  'content-length',
  'content-location',
  'location',
  'warning',
  'x-request-id',
];
const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';

export function dicomwebCors(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const isAllowed = origin !== undefined && allowed.has(origin);
    if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('access-control-request-method')) {
      const headers = new Headers({ vary: 'Origin, Access-Control-Request-Headers' });
      if (isAllowed) {
        headers.set('access-control-allow-origin', origin);
        headers.set('access-control-allow-methods', ALLOWED_METHODS);
        headers.set('access-control-allow-headers', ALLOWED_HEADERS.join(', '));
        headers.set('access-control-max-age', '600');
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (!isAllowed) return;
    c.res.headers.set('access-control-allow-origin', origin);
    c.res.headers.set('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
    c.res.headers.append('vary', 'Origin');
  };
}
