import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { Browser, createOidcFixture, formToken } from './oidc-fixture.ts';
import {
  APP_REDIRECT,
  authorize,
  createResident,
  createStaff,
  putPatient,
  registerApp,
  systemToken,
} from './oidc-login.ts';

describe('identity provider: discovery and authorization code + PKCE', () => {
  it('publishes OpenID and SMART discovery documents at the root and under the FHIR base', async () => {
    await using fx = await createOidcFixture();
    const oidc = (await (await fetch(`${fx.origin}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(oidc['issuer']).toBe(fx.origin);
    expect(oidc['token_endpoint']).toBe(`${fx.origin}/oauth2/token`);
    expect(oidc['code_challenge_methods_supported']).toEqual(['S256']);
    expect(oidc['token_endpoint_auth_methods_supported']).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'private_key_jwt']),
    );
    for (const path of ['/.well-known/smart-configuration', '/fhir/R4/.well-known/smart-configuration']) {
      const res = await fetch(`${fx.origin}${path}`);
      expect(res.status).toBe(200);
      const smart = (await res.json()) as Record<string, unknown>;
      expect(smart['token_endpoint']).toBe(oidc['token_endpoint']);
      expect(smart['authorization_endpoint']).toBe(oidc['authorization_endpoint']);
      expect(smart['capabilities']).toEqual(
        expect.arrayContaining(['launch-standalone', 'permission-v2', 'client-confidential-asymmetric']),
      );
    }
    const jwks = (await (await fetch(`${fx.origin}/oauth2/jwks`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('signs a staff user in, asks for consent and a patient, issues JWT access, refresh and id tokens', async () => {
    await using fx = await createOidcFixture();
    const staff = await createStaff(fx, 'doctor.zhang');
    await registerApp(fx, 'app-1', 'openid fhirUser launch/patient offline_access patient/*.rs');
    const { tokens } = await authorize(fx, {
      clientId: 'app-1',
      scope: 'openid fhirUser launch/patient offline_access patient/Patient.rs patient/Observation.read',
      username: 'doctor.zhang',
      patient: 'pat-7',
    });
    expect(tokens.patient).toBe('pat-7');
    const at = decodeJwt(tokens.access_token);
    expect(at['aud']).toBe(fx.fhirBase);
    expect(at['iss']).toBe(fx.origin);
    expect(at['sub']).toBe(staff.id);
    expect(at['client_id']).toBe('app-1');
    expect(String(at['scope']).split(' ')).toEqual(
      expect.arrayContaining(['patient/Patient.rs', 'patient/Observation.read', 'launch/patient']),
    );
    expect((at['exp'] as number) - (at['iat'] as number)).toBeLessThanOrEqual(15 * 60);
    expect(at).toMatchObject({
      patient: 'pat-7',
      organization: 'org-1',
      practitioner: 'prac-1',
      practitionerRole: 'role-1',
      fhirUser: 'Practitioner/prac-1',
      roles: ['clinician'],
    });
    const id = decodeJwt(tokens.id_token ?? '');
    expect(id['fhirUser']).toBe('Practitioner/prac-1');
    const principal = await fx.idp.verifyAccessToken(tokens.access_token);
    expect(principal).toMatchObject({
      kind: 'user',
      subject: staff.id,
      clientId: 'app-1',
      patient: 'pat-7',
      roles: ['clinician'],
    });

    // The token works on the FHIR API; without a token the API answers 401.
    const token = await systemToken(fx);
    await putPatient(fx, token, 'pat-7');
    const read = await fx.fhir('Patient/pat-7', tokens.access_token);
    expect(read.status).toBe(200);
    const anonymous = await fx.fhir('Patient/pat-7', undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="yiyun"');

    // Refresh rotation: the new refresh token works once; replaying the old one fails.
    const refresh = async (refreshToken: string) =>
      fetch(`${fx.origin}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: 'app-1',
        }),
      });
    const first = await refresh(tokens.refresh_token ?? '');
    const rotated = (await first.json()) as { refresh_token: string; access_token: string };
    expect(first.status, JSON.stringify(rotated)).toBe(200);
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect(decodeJwt(rotated.access_token)['patient']).toBe('pat-7');
    expect((await refresh(tokens.refresh_token ?? '')).status).toBe(400);
  });

  it('gives a resident their own patient in a standalone launch, with no patient picker', async () => {
    await using fx = await createOidcFixture();
    await createResident(fx, 'resident.li', 'pat-li');
    await registerApp(fx, 'portal', 'openid fhirUser launch/patient patient/*.rs', true);
    const { tokens } = await authorize(fx, {
      clientId: 'portal',
      scope: 'openid fhirUser launch/patient patient/*.rs',
      username: 'resident.li',
    });
    expect(tokens.patient).toBe('pat-li');
    expect(decodeJwt(tokens.id_token ?? '')['fhirUser']).toBe('Patient/pat-li');
  });

  it('resolves an EHR launch context into the token', async () => {
    await using fx = await createOidcFixture();
    await createStaff(fx, 'doctor.wang');
    await registerApp(fx, 'ehr-app', 'openid fhirUser launch launch/patient user/*.rs');
    const launch = await fx.idp.createLaunchContext({ patient: 'pat-ehr', encounter: 'enc-1' });
    const { tokens } = await authorize(fx, {
      clientId: 'ehr-app',
      scope: 'openid launch user/Patient.rs',
      username: 'doctor.wang',
      launch,
    });
    expect(tokens.patient).toBe('pat-ehr');
    expect(decodeJwt(tokens.access_token)).toMatchObject({ patient: 'pat-ehr', encounter: 'enc-1' });
  });

  it('refuses scopes the client was not registered for and a foreign aud', async () => {
    await using fx = await createOidcFixture();
    await createStaff(fx, 'doctor.zhao');
    await registerApp(fx, 'narrow', 'openid patient/Observation.rs');
    const { tokens } = await authorize(fx, {
      clientId: 'narrow',
      scope: 'openid patient/Observation.rs patient/*.cruds system/*.cruds',
      username: 'doctor.zhao',
    });
    expect(decodeJwt(tokens.access_token)['scope']).toBe('openid patient/Observation.rs');
    const browser = new Browser();
    const bad = await browser.get(
      `${fx.origin}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'narrow', redirect_uri: APP_REDIRECT, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', aud: 'http://elsewhere/fhir' })}`,
    );
    expect(bad.status).toBe(303);
    expect(new URL(bad.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('requires PKCE with S256', async () => {
    await using fx = await createOidcFixture();
    await registerApp(fx, 'app-2', 'openid patient/*.rs');
    const browser = new Browser();
    const res = await browser.get(
      `${fx.origin}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'app-2', redirect_uri: APP_REDIRECT, scope: 'openid' })}`,
    );
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
    const plain = await browser.get(
      `${fx.origin}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'app-2', redirect_uri: APP_REDIRECT, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' })}`,
    );
    expect(new URL(plain.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });
});

describe('sign-in page', () => {
  it('is zh-CN by default, English on request, with security headers and labelled fields', async () => {
    await using fx = await createOidcFixture();
    await registerApp(fx, 'app-3', 'openid patient/*.rs');
    const browser = new Browser();
    const start = await browser.follow(await browser.get(authorizeUrl(fx.origin, 'app-3')), fx.origin);
    const zh = await start.res.text();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('<label for="username">用户名</label>');
    expect(zh).toContain('<label for="password">密码</label>');
    expect(zh).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
    expect(start.res.headers.get('x-frame-options')).toBe('DENY');
    expect(start.res.headers.get('referrer-policy')).toBe('same-origin');
    expect(start.res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(start.res.headers.get('content-security-policy')).not.toMatch(/script-src/);
    const en = await (await browser.get(`${start.url}?lang=en`)).text();
    expect(en).toContain('<label for="username">Username</label>');
    const accept = await (
      await browser.request(start.url, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })
    ).text();
    expect(accept).toContain('Sign in to Yiyun');
  });

  it('says the same for an unknown user and a wrong password, then reports the lockout with minutes', async () => {
    await using fx = await createOidcFixture();
    await createStaff(fx, 'doctor.sun');
    await registerApp(fx, 'app-4', 'openid patient/*.rs');
    const browser = new Browser();
    const start = await browser.follow(await browser.get(authorizeUrl(fx.origin, 'app-4')), fx.origin);
    const html = await start.res.text();
    const attempt = (username: string) =>
      browser.post(
        `${start.url}/login`,
        { csrf: formToken(html), username, password: 'Wrong-password-1', lang: 'en' },
        fx.origin,
      );
    const unknown = await attempt('nobody.here');
    const wrong = await attempt('doctor.sun');
    const messageOf = (page: string) => /role="alert">([^<]+)</.exec(page)?.[1];
    expect(unknown.status).toBe(401);
    expect(messageOf(await unknown.text())).toBe(messageOf(await wrong.text()));
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) last = await attempt('doctor.sun');
    expect(last?.status).toBe(429);
    expect(await last?.text()).toMatch(/locked\. Try again in \d+ minutes/);
  });

  it('rejects a form without the form token or from another origin', async () => {
    await using fx = await createOidcFixture();
    await createStaff(fx, 'doctor.qian');
    await registerApp(fx, 'app-5', 'openid patient/*.rs');
    const browser = new Browser();
    const start = await browser.follow(await browser.get(authorizeUrl(fx.origin, 'app-5')), fx.origin);
    const csrf = formToken(await start.res.text());
    const noToken = await browser.post(
      `${start.url}/login`,
      { username: 'doctor.qian', password: 'x' },
      fx.origin,
    );
    expect(noToken.status).toBe(400);
    const foreign = await browser.post(
      `${start.url}/login`,
      { csrf, username: 'doctor.qian', password: 'x' },
      'http://evil.example',
    );
    expect(foreign.status).toBe(400);
  });
});

function authorizeUrl(origin: string, clientId: string): string {
  return `${origin}/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: APP_REDIRECT,
    scope: 'openid patient/Patient.rs',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  })}`;
}
