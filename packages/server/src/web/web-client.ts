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
  const app = `${baseUrl.replace(/\/+$/, '')}${WEB_APP_PATH}/`;
  await idp.registerClient({
    clientId: WEB_CLIENT_ID,
    redirectUris: [app],
    postLogoutRedirectUris: [app],
    grantTypes: ['authorization_code', 'refresh_token'],
    scope: WEB_CLIENT_SCOPE,
    trusted: true,
    name: '医云 Yiyun',
  });
}
