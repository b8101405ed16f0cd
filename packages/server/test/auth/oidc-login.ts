import { expect } from 'vitest';
import { Browser, formAction, formToken, type OidcFixture, PASSWORD, pkce } from './oidc-fixture.ts';

export const APP_REDIRECT = 'http://127.0.0.1:1/callback';

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  patient?: string;
  token_type: string;
  expires_in: number;
}

/** Registers a public SMART app (PKCE, no secret) allowed the given scopes. */
export async function registerApp(
  fx: OidcFixture,
  clientId: string,
  scope: string,
  trusted = false,
): Promise<void> {
  await fx.idp.registerClient({
    clientId,
    redirectUris: [APP_REDIRECT],
    postLogoutRedirectUris: [APP_REDIRECT],
    grantTypes: ['authorization_code', 'refresh_token'],
    scope,
    trusted,
    name: `App ${clientId}`,
  });
}

/**
 * Drives a browser through authorization code + PKCE: authorize → sign-in page → consent (with a
 * patient id when asked) → redirect with code → token exchange.
 */
export async function authorize(
  fx: OidcFixture,
  options: {
    clientId: string;
    scope: string;
    username: string;
    patient?: string;
    launch?: string;
    browser?: Browser;
  },
): Promise<{ tokens: TokenResponse; browser: Browser }> {
  const browser = options.browser ?? new Browser();
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: APP_REDIRECT,
    scope: options.scope,
    state: 'state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    aud: fx.fhirBase,
    ...(options.launch ? { launch: options.launch } : {}),
  });
  let step = await browser.follow(await browser.get(`${fx.origin}/oauth2/authorize?${query}`), fx.origin);
  for (let pages = 0; pages < 4 && step.url.startsWith(fx.origin); pages++) {
    const html = await step.res.text();
    expect(step.res.status).toBe(200);
    const form: Record<string, string> = { csrf: formToken(html) };
    if (html.includes('name="password"'))
      Object.assign(form, { username: options.username, password: PASSWORD });
    if (html.includes('name="patient"')) form['patient'] = options.patient ?? '';
    step = await browser.follow(
      await browser.post(`${fx.origin}${formAction(html)}`, form, fx.origin),
      fx.origin,
    );
  }
  const callback = new URL(step.url);
  expect(`${callback.origin}${callback.pathname}`).toBe(APP_REDIRECT);
  expect(callback.searchParams.get('state')).toBe('state-1');
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  const res = await fetch(`${fx.origin}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: APP_REDIRECT,
      client_id: options.clientId,
      code_verifier: verifier,
    }),
  });
  const tokens = (await res.json()) as TokenResponse;
  expect(res.status, JSON.stringify(tokens)).toBe(200);
  return { tokens, browser };
}

export async function createStaff(fx: OidcFixture, username: string) {
  return fx.accounts.create({
    username,
    password: PASSWORD,
    kind: 'staff',
    displayName: '张伟',
    roles: ['clinician'],
    organization: 'org-1',
    practitioner: 'prac-1',
    practitionerRole: 'role-1',
  });
}

export async function createResident(fx: OidcFixture, username: string, patient: string) {
  return fx.accounts.create({
    username,
    password: PASSWORD,
    kind: 'resident',
    displayName: '李娜',
    roles: ['resident'],
    patient,
  });
}

export async function putPatient(fx: OidcFixture, token: string, id: string): Promise<void> {
  const res = await fx.fhir(`Patient/${id}`, token, {
    method: 'PUT',
    body: JSON.stringify({ resourceType: 'Patient', id, name: [{ family: 'Test' }] }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

/** A system client (client credentials, secret) with all-access scopes; returns its token. */
export async function systemToken(fx: OidcFixture, clientId = 'system-1'): Promise<string> {
  const secret = 's'.repeat(40);
  await fx.idp.registerClient({
    clientId,
    secret,
    grantTypes: ['client_credentials'],
    scope: 'system/*.cruds',
    roles: ['integration-system'],
  });
  const res = await fetch(`${fx.origin}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.cruds' }),
  });
  const body = (await res.json()) as TokenResponse;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.access_token;
}
