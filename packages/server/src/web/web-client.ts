import type { IdentityProvider } from '@yiyun/auth';
import { WEB_APP_PATH } from './web-app.ts';

/** The web portal's OAuth client (packages/web `WEB_CLIENT_ID`): public, PKCE, first party. */
export const WEB_CLIENT_ID = 'yiyun-web';
export const WEB_CLIENT_SCOPE = 'openid fhirUser profile offline_access user/*.cruds';

/**
 * Registers the web portal served at `<base>/app/` as a public client (authorization code with
 * PKCE, refresh tokens), trusted: it is the platform's own sign-in, so no consent page. What its
 * tokens may do is still each account's roles and the access rules.
 */
export async function ensureWebClient(idp: IdentityProvider, baseUrl: string): Promise<void> {
  const apps = appUrls(baseUrl);
  await idp.registerClient({
    clientId: WEB_CLIENT_ID,
    redirectUris: apps,
    postLogoutRedirectUris: apps,
    grantTypes: ['authorization_code', 'refresh_token'],
    scope: WEB_CLIENT_SCOPE,
    trusted: true,
    name: '医云 Yiyun',
  });
}

/** The portal's address; on a loopback base both spellings (127.0.0.1 and localhost), as people type either. */
export function appUrls(baseUrl: string): string[] {
  const url = new URL(baseUrl);
  const path = `${url.pathname.replace(/\/+$/, '')}${WEB_APP_PATH}/`;
  const hosts = ['127.0.0.1', 'localhost'].includes(url.hostname)
    ? ['127.0.0.1', 'localhost']
    : [url.hostname];
  return hosts.map((host) => `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}${path}`);
}
