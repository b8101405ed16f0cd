import { decodeJwt } from 'jose';
import type { Context, Next } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { RevocationList } from './revocations.ts';
import type { AccessTokenClaims, AccessTokenVerifier } from './verify.ts';

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Host-side additions around oidc-provider's own endpoints:
 * - RFC 7009 revocation and RFC 7662 introspection of our JWT access tokens, which oidc-provider
 *   refuses (`unsupported_token_type`, it keeps no copy of structured tokens). The client has been
 *   authenticated by oidc-provider by then; we verify the token locally and record revocations in
 *   the shared list. A client may revoke only its own tokens (RFC 7009 §2.1).
 * - SMART launch context in the token response (`patient`, `encounter`: SMART App Launch §"Response").
 * - Security headers on every response of the provider.
 */
export function providerHooks(deps: {
  verifier: AccessTokenVerifier;
  revocations: RevocationList;
  logger: Logger;
}) {
  return async (koa: Context, next: Next): Promise<void> => {
    requestConsentForOfflineAccess(koa);
    await next();
    const ctx = koa as unknown as KoaContextWithOIDC;
    securityHeaders(koa);
    const route = (ctx as { oidc?: KoaContextWithOIDC['oidc'] }).oidc?.route;
    if (route === 'revocation' || route === 'introspection') await structuredToken(ctx, route, deps);
    if (route === 'token') launchContextInResponse(koa);
  };
}

/**
 * OIDC Core §11 drops `offline_access` unless `prompt=consent` is requested; SMART apps ask for
 * `offline_access` without it (SMART App Launch §"Scopes for requesting a refresh token"). Such a
 * request is treated as asking for consent, so the user sees the long-lived access they grant.
 */
function requestConsentForOfflineAccess(ctx: Context): void {
  if (ctx.method !== 'GET' || ctx.path !== '/oauth2/authorize') return;
  const scope = ctx.query['scope'];
  if (
    typeof scope !== 'string' ||
    !scope.split(' ').includes('offline_access') ||
    ctx.query['prompt'] !== undefined
  )
    return;
  ctx.query = { ...ctx.query, prompt: 'consent' };
}

function securityHeaders(ctx: Context): void {
  ctx.set('x-content-type-options', 'nosniff');
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the sign-in
  // form's POST (Fetch §3.2.5), which the interaction routes refuse as cross-origin. Other origins
  // still get no Referer (no authorization codes or interaction ids leak).
  ctx.set('referrer-policy', 'same-origin');
  ctx.set('x-frame-options', 'DENY');
  if (ctx.response.is('html') && !ctx.response.get('content-security-policy')) {
    ctx.set(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    );
  }
}

async function structuredToken(
  ctx: KoaContextWithOIDC,
  route: 'revocation' | 'introspection',
  deps: { verifier: AccessTokenVerifier; revocations: RevocationList; logger: Logger },
): Promise<void> {
  const body = ctx.body as { error?: string } | undefined;
  const client = ctx.oidc.client;
  const token = ctx.oidc.params?.['token'];
  if (
    body?.error !== 'unsupported_token_type' ||
    !client ||
    typeof token !== 'string' ||
    !JWT_SHAPE.test(token)
  ) {
    return;
  }
  let claims: AccessTokenClaims | undefined;
  try {
    claims = await deps.verifier.claims(token);
  } catch {
    claims = undefined;
  }
  ctx.status = 200;
  if (route === 'revocation') {
    // An invalid or foreign token is answered 200 as well (RFC 7009 §2.2).
    if (claims?.jti && typeof claims.exp === 'number' && claims.client_id === client.clientId) {
      await deps.revocations.revokeToken(claims.jti, claims.exp);
      deps.logger.info({ event: 'token-revoked', client: client.clientId }, 'access token revoked');
    }
    ctx.body = '';
    return;
  }
  ctx.type = 'application/json';
  ctx.body = claims ? { active: true, token_type: 'Bearer', ...claims } : { active: false };
}

function launchContextInResponse(ctx: Context): void {
  const body = ctx.body as { access_token?: unknown; scope?: string } | undefined;
  if (ctx.status !== 200 || typeof body?.access_token !== 'string') return;
  let claims: AccessTokenClaims;
  try {
    claims = decodeJwt(body.access_token) as AccessTokenClaims;
  } catch {
    return;
  }
  const scopes = new Set((claims.scope ?? '').split(' '));
  const extra: Record<string, string> = {};
  const launched = scopes.has('launch') || scopes.has('launch/patient');
  if (claims.patient && launched) extra['patient'] = claims.patient;
  if (claims.encounter && (scopes.has('launch') || scopes.has('launch/encounter')))
    extra['encounter'] = claims.encounter;
  ctx.body = { ...body, ...extra };
}
