import { TOKEN_STORAGE_KEY } from '../viewer/access-token.tsx';

/**
 * Sign-in through the platform's own OpenID Connect provider: authorization code with PKCE
 * (RFC 7636, S256) as a public client, refresh tokens, RP-initiated logout. Tokens live in this
 * tab's sessionStorage (gone when the tab closes); the access token is also left under
 * `TOKEN_STORAGE_KEY`, where the image viewer reads it.
 */

/** The portal's client (registered by `yiyun serve`, packages/cli/src/serve/clients.ts). */
export const WEB_CLIENT_ID = 'yiyun-web';
const SCOPE = 'openid fhirUser profile offline_access user/*.cruds';
const SESSION_KEY = 'yiyun.session';
const PENDING_KEY = 'yiyun.signin';

export interface Endpoints {
  readonly authorization: string;
  readonly token: string;
  readonly endSession?: string;
  readonly revocation?: string;
}

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** What the app needs to know of who is signed in (from the access token's claims, RFC 9068). */
export interface Claims {
  readonly subject: string;
  readonly name?: string;
  readonly roles: readonly string[];
  readonly organization?: string;
  /** `Patient/<id>` of a resident, `Practitioner/<id>` of staff. */
  readonly fhirUser?: string;
  readonly patient?: string;
}

interface Pending {
  readonly state: string;
  readonly verifier: string;
  readonly returnTo: string;
}

export class SignInError extends Error {}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The app's own address, where the provider sends the browser back (`<origin>/app/`). */
export function redirectUri(location: Location): string {
  return `${location.origin}${location.pathname}`;
}

export async function discover(origin: string): Promise<Endpoints> {
  const res = await fetch(`${origin}/.well-known/openid-configuration`);
  if (!res.ok) throw new SignInError(`discovery ${res.status}`);
  const doc = (await res.json()) as Record<string, string | undefined>;
  if (!doc['authorization_endpoint'] || !doc['token_endpoint']) throw new SignInError('discovery incomplete');
  return {
    authorization: doc['authorization_endpoint'],
    token: doc['token_endpoint'],
    ...(doc['end_session_endpoint'] ? { endSession: doc['end_session_endpoint'] } : {}),
    ...(doc['revocation_endpoint'] ? { revocation: doc['revocation_endpoint'] } : {}),
  };
}

/** Sends the browser to the provider's sign-in page. */
export async function beginSignIn(endpoints: Endpoints, location: Location, storage: Storage): Promise<void> {
  const pending: Pending = { state: randomToken(16), verifier: randomToken(48), returnTo: location.hash };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: WEB_CLIENT_ID,
    redirect_uri: redirectUri(location),
    scope: SCOPE,
    state: pending.state,
    code_challenge: await pkceChallenge(pending.verifier),
    code_challenge_method: 'S256',
    aud: `${location.origin}/fhir/R4`,
    ui_locales: document.documentElement.lang || 'zh-CN',
  });
  location.assign(`${endpoints.authorization}?${query}`);
}

async function tokenRequest(endpoints: Endpoints, form: Record<string, string>): Promise<Tokens> {
  const res = await fetch(endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: WEB_CLIENT_ID, ...form }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof body['access_token'] !== 'string')
    throw new SignInError(String(body['error_description'] ?? body['error'] ?? `token ${res.status}`));
  return {
    accessToken: body['access_token'],
    ...(typeof body['refresh_token'] === 'string' ? { refreshToken: body['refresh_token'] } : {}),
    ...(typeof body['id_token'] === 'string' ? { idToken: body['id_token'] } : {}),
    expiresAt: Date.now() + Number(body['expires_in'] ?? 300) * 1000,
  };
}

/**
 * Completes a sign-in when the provider has just sent the browser back with `code` and `state`;
 * undefined when this page load is not such a return. Cleans the URL either way.
 */
export async function completeSignIn(
  endpoints: Endpoints,
  location: Location,
  history: History,
  storage: Storage,
): Promise<{ tokens: Tokens; returnTo: string } | undefined> {
  const query = new URLSearchParams(location.search);
  const code = query.get('code');
  const error = query.get('error');
  if (!code && !error) return undefined;
  const pending = JSON.parse(storage.getItem(PENDING_KEY) ?? 'null') as Pending | null;
  storage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? ''}`);
  if (error) throw new SignInError(query.get('error_description') ?? error);
  if (!pending || query.get('state') !== pending.state) throw new SignInError('state mismatch');
  const tokens = await tokenRequest(endpoints, {
    grant_type: 'authorization_code',
    code: code ?? '',
    redirect_uri: redirectUri(location),
    code_verifier: pending.verifier,
  });
  return { tokens, returnTo: pending.returnTo };
}

export function refreshTokens(endpoints: Endpoints, tokens: Tokens): Promise<Tokens> {
  if (!tokens.refreshToken) return Promise.reject(new SignInError('no refresh token'));
  return tokenRequest(endpoints, { grant_type: 'refresh_token', refresh_token: tokens.refreshToken }).then(
    (fresh) => ({ ...fresh, idToken: fresh.idToken ?? tokens.idToken }),
  );
}

export function saveTokens(storage: Storage, tokens: Tokens | undefined): void {
  if (tokens) {
    storage.setItem(SESSION_KEY, JSON.stringify(tokens));
    storage.setItem(TOKEN_STORAGE_KEY, tokens.accessToken);
  } else {
    storage.removeItem(SESSION_KEY);
    storage.removeItem(TOKEN_STORAGE_KEY);
  }
}

export function loadTokens(storage: Storage): Tokens | undefined {
  try {
    const tokens = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as Tokens | null;
    return tokens?.accessToken ? tokens : undefined;
  } catch {
    return undefined;
  }
}

function jwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<
    string,
    unknown
  >;
}

/** The claims the app shows and routes by; the server checks the token itself on every call. */
export function claimsOf(tokens: Tokens): Claims {
  const access = jwtPayload(tokens.accessToken);
  const id = tokens.idToken ? jwtPayload(tokens.idToken) : {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const name = str(id['name']) ?? str(access['name']);
  const organization = str(access['organization']);
  const fhirUser = str(access['fhirUser']) ?? str(id['fhirUser']);
  const patient = str(access['patient']);
  return {
    subject: str(access['sub']) ?? '',
    roles: Array.isArray(access['roles']) ? access['roles'].map(String) : [],
    ...(name ? { name } : {}),
    ...(organization ? { organization } : {}),
    ...(fhirUser ? { fhirUser } : {}),
    ...(patient ? { patient } : {}),
  };
}

/** Ends the session at the provider too (RP-initiated logout), then comes back to the sign-in page. */
export function endSession(endpoints: Endpoints, location: Location, tokens: Tokens | undefined): void {
  if (!endpoints.endSession) {
    location.assign(redirectUri(location));
    return;
  }
  const query = new URLSearchParams({
    client_id: WEB_CLIENT_ID,
    post_logout_redirect_uri: redirectUri(location),
    ...(tokens?.idToken ? { id_token_hint: tokens.idToken } : {}),
  });
  location.assign(`${endpoints.endSession}?${query}`);
}
