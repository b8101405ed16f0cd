import type { Principal } from '@yiyun/auth';
import { AppError, isAppError, toOperationOutcome } from '@yiyun/fhir';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

export interface BearerAuthOptions {
  /** Verifies an access token (e.g. `identityProvider.verifyAccessToken`); throws AppError('unauthenticated'). */
  readonly verify: (token: string) => Promise<Principal>;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * RFC 6750 bearer-token authentication: `Authorization: Bearer <token>` → `c.get('principal')`.
 * Anything else is a 401 with an OperationOutcome and `WWW-Authenticate` (RFC 6750 §3): no token →
 * `Bearer realm="yiyun"`, a bad one → `error="invalid_token"`. The reason is never echoed.
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? BEARER.exec(header.trim()) : null;
    if (!match?.[1]) return unauthorized(c, header === undefined ? undefined : 'invalid_token');
    let principal: Principal;
    try {
      principal = await options.verify(match[1]);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'unauthenticated') throw err;
      c.get('logger')?.info({ reason: err.message }, 'access token rejected');
      return unauthorized(c, 'invalid_token');
    }
    c.set('principal', principal);
    await next();
  };
}

function unauthorized(c: Parameters<MiddlewareHandler<AppEnv>>[0], error: 'invalid_token' | undefined) {
  const challenge = error ? `Bearer realm="yiyun", error="${error}"` : 'Bearer realm="yiyun"';
  const message = error
    ? 'The access token is missing, invalid, expired or revoked'
    : 'Authentication required';
  c.header('www-authenticate', challenge);
  c.header('cache-control', 'no-store');
  return c.json(toOperationOutcome(new AppError('unauthenticated', message)), 401, {
    'content-type': 'application/fhir+json',
  });
}
