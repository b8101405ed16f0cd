import type { Adapter, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { AccountStore } from '../accounts/port.ts';
import { LAUNCH_SCOPES, parseScopes, scopeWithin } from '../smart/scopes.ts';
import { extraTokenClaims, findAccount } from './claims.ts';
import { EXTRA_CLIENT_METADATA } from './clients.ts';
import type { GrantContextStore } from './grant-context.ts';
import { SIGNING_ALG } from './keys.ts';
import { logoutSource, postLogoutSuccessSource, renderError } from './provider-pages.ts';

export interface Ttl {
  /** Access tokens (JWT, RFC 9068): short, default 15 min. */
  readonly accessToken: number;
  readonly idToken: number;
  readonly refreshToken: number;
  readonly authorizationCode: number;
  readonly session: number;
  readonly interaction: number;
  readonly grant: number;
}

export const DEFAULT_TTL: Ttl = {
  accessToken: 15 * 60,
  idToken: 60 * 60,
  refreshToken: 14 * 24 * 3600,
  authorizationCode: 60,
  session: 8 * 3600,
  interaction: 30 * 60,
  grant: 14 * 24 * 3600,
};

export interface ConfigurationDeps {
  readonly fhirBaseUrl: string;
  readonly accounts: AccountStore;
  readonly grantContexts: GrantContextStore;
  readonly adapter: (model: string) => Adapter;
  readonly jwks: { keys: Record<string, unknown>[] };
  readonly cookieKeys: readonly string[];
  readonly ttl: Ttl;
  /** An https issuer: Secure cookies and authorization by POST. */
  readonly secure: boolean;
}

const ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  jwks: '/oauth2/jwks',
  userinfo: '/oauth2/userinfo',
  introspection: '/oauth2/introspect',
  revocation: '/oauth2/revoke',
  end_session: '/oauth2/logout',
  pushed_authorization_request: '/oauth2/par',
} as const;

/** The scopes a request, code or refresh token carries, limited to what the client was registered for. */
function resourceScopes(ctx: KoaContextWithOIDC, client: { [key: string]: unknown }): string {
  const allowed = parseScopes(String(client['smart_scope'] ?? ''));
  const { params, entities } = ctx.oidc;
  if (params?.['grant_type'] === 'client_credentials' && !params['scope']) {
    // RFC 6749 §3.3: no scope requested → the client's registered scopes (what Medplum's SDK expects).
    params['scope'] = allowed.resources.map((s) => s.raw).join(' ');
  }
  const candidates = [
    params?.['scope'],
    entities.AuthorizationCode?.scope,
    entities.RefreshToken?.scope,
  ].flatMap((s) => (typeof s === 'string' ? s.split(' ') : []));
  return [...new Set(candidates)].filter((s) => s && scopeWithin(s, allowed)).join(' ');
}

export function providerConfiguration(deps: ConfigurationDeps): Configuration {
  const { fhirBaseUrl, ttl } = deps;
  return {
    adapter: deps.adapter,
    jwks: deps.jwks as Configuration['jwks'],
    // Authorization by POST (SMART `authorize-post`) needs cross-site cookies: SameSite=None, which
    // browsers accept only with Secure, so it is on for an https issuer only.
    cookies: {
      keys: [...deps.cookieKeys],
      long: { signed: true, ...(deps.secure ? { sameSite: 'none', secure: true } : {}) },
      short: { signed: true, ...(deps.secure ? { secure: true } : {}) },
    },
    routes: ROUTES,
    scopes: [...LAUNCH_SCOPES],
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name', 'locale'] },
    conformIdTokenClaims: false,
    findAccount: findAccount(deps.accounts),
    extraTokenClaims: extraTokenClaims(
      deps.accounts,
      deps.grantContexts,
    ) as Configuration['extraTokenClaims'],
    extraClientMetadata: { properties: EXTRA_CLIENT_METADATA },
    extraParams: {
      launch: null,
      // SMART: `aud` names the FHIR server the app means; anything else is refused.
      aud(_ctx, value) {
        if (value !== undefined && value.replace(/\/+$/, '') !== fhirBaseUrl) {
          throw new errors.InvalidRequest('aud must be the FHIR base URL of this server');
        }
      },
    },
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG, grant_types: ['authorization_code'] },
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'RS384', 'PS256', 'PS384', 'ES256', 'ES384'],
      idTokenSigningAlgValues: [SIGNING_ALG],
    },
    enableHttpPostMethods: deps.secure,
    pkce: { required: () => true },
    clockTolerance: 5,
    responseTypes: ['code'],
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || code.scopes.has('online_access')),
    loadExistingGrant: async (ctx) => {
      const resultId = ctx.oidc.result?.consent?.grantId;
      if (resultId) return ctx.oidc.provider.Grant.find(resultId);
      // A launch needs a fresh decision (which patient), never the last grant.
      const scopes = ctx.oidc.requestParamScopes;
      if (ctx.oidc.params?.['launch'] || scopes.has('launch/patient')) return undefined;
      const grantId = ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: { url: (_ctx, interaction) => `/oauth2/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBaseUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator, client) => {
          if (indicator.replace(/\/+$/, '') !== fhirBaseUrl) throw new errors.InvalidTarget();
          return {
            scope: resourceScopes(ctx, client as unknown as Record<string, unknown>),
            audience: fhirBaseUrl,
            accessTokenTTL: ttl.accessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    renderError,
    ttl: {
      AccessToken: ttl.accessToken,
      ClientCredentials: ttl.accessToken,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      AuthorizationCode: ttl.authorizationCode,
      Session: ttl.session,
      Interaction: ttl.interaction,
      Grant: ttl.grant,
    },
  };
}
