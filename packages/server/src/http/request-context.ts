import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './env.ts';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is a safe token, else a new UUID),
 * echoes it, and logs one line per request. The line holds method, path, status and duration: no
 * query string (it can hold names and ID numbers), no body, no headers.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming !== undefined && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const child = logger.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('logger', child);
    const started = performance.now();
    await next();
    c.res.headers.set('x-request-id', requestId);
    // Below `info` (e.g. YIYUN_LOG_LEVEL=warn) the line's fields are not even built.
    if (!child.isLevelEnabled('info')) return;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    child.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request completed');
  };
}
