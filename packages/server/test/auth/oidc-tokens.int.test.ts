import { SigningKeyStore } from '@yiyun/auth';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { type Browser, createOidcFixture, KEK, type OidcFixture } from './oidc-fixture.ts';
import { APP_REDIRECT, authorize, createStaff, putPatient, registerApp, systemToken } from './oidc-login.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function readsPatient(fx: OidcFixture, token: string): Promise<number> {
  const res = await fx.fhir('Patient/p1', token);
  if (res.status === 401) {
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="yiyun", error="invalid_token"');
    expect(await res.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  }
  return res.status;
}

/** Signs claims with the provider's own current key (read from the database as an operator could). */
async function signWithProviderKey(
  fx: OidcFixture,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
) {
  const [key] = await new SigningKeyStore(fx.store.database.sql, KEK).load();
  if (!key) throw new Error('no key');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid, ...header })
    .sign(await importJWK(key.privateJwk, 'RS256'));
}

async function introspect(fx: OidcFixture, token: string, clientId: string, secret: string) {
  const res = await fetch(`${fx.origin}/oauth2/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: clientId, client_secret: secret }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { active: boolean; client_id?: string; scope?: string };
}

describe('access tokens the FHIR API rejects', () => {
  it('rejects expired, not-yet-valid, foreign-key, alg none, other-audience and hand-widened tokens', async () => {
    await using fx = await createOidcFixture();
    const token = await systemToken(fx);
    await putPatient(fx, token, 'p1');
    expect(await readsPatient(fx, token)).toBe(200);
    const claims = decodeJwt(token);
    const [header, , signature] = token.split('.');

    fx.clockOffset = 16 * 60_000; // past the 15-minute lifetime
    expect(await readsPatient(fx, token)).toBe(401);
    fx.clockOffset = -10 * 60_000; // issued "in the future"
    expect(await readsPatient(fx, token)).toBe(401);
    fx.clockOffset = 0;
    expect(await readsPatient(fx, token)).toBe(200);

    const notBefore = await signWithProviderKey(fx, { ...claims, nbf: Math.floor(Date.now() / 1000) + 600 });
    expect(await readsPatient(fx, notBefore)).toBe(401);
    const sameKeyControl = await signWithProviderKey(fx, { ...claims, jti: 'control' });
    expect(await readsPatient(fx, sameKeyControl)).toBe(200);

    const foreign = await generateKeyPair('RS256');
    const kid = decodeProtectedHeader(token).kid;
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
      .sign(foreign.privateKey);
    expect(await readsPatient(fx, forged)).toBe(401);
    const ownKid = await new SignJWT(claims)
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'at+jwt',
        kid: 'attacker',
        jwk: await exportJWK(foreign.publicKey),
      })
      .sign(foreign.privateKey);
    expect(await readsPatient(fx, ownKid)).toBe(401);

    const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`;
    expect(await readsPatient(fx, none)).toBe(401);

    const otherAudience = await signWithProviderKey(fx, { ...claims, aud: 'http://127.0.0.1:1/fhir/R4' });
    expect(await readsPatient(fx, otherAudience)).toBe(401);
    const otherIssuer = await signWithProviderKey(fx, { ...claims, iss: 'http://127.0.0.1:1' });
    expect(await readsPatient(fx, otherIssuer)).toBe(401);

    const widened = `${header}.${b64({ ...claims, scope: 'system/*.cruds user/*.cruds' })}.${signature}`;
    expect(await readsPatient(fx, widened)).toBe(401);
    const hmac = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims)}.${signature}`;
    expect(await readsPatient(fx, hmac)).toBe(401);
  });

  it('rejects a token revoked at /oauth2/revoke on every replica, and introspection turns inactive', async () => {
    await using fx = await createOidcFixture();
    const secret = 'r'.repeat(40);
    await fx.idp.registerClient({
      clientId: 'his-1',
      secret,
      grantTypes: ['client_credentials'],
      scope: 'system/*.rs',
      roles: ['integration-system'],
      organization: 'org-9',
    });
    const res = await fetch(`${fx.origin}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'his-1',
        client_secret: secret,
      }),
    });
    const { access_token: token, scope } = (await res.json()) as { access_token: string; scope: string };
    expect(scope).toBe('system/*.rs');
    expect(await fx.idp.verifyAccessToken(token)).toMatchObject({
      kind: 'system',
      clientId: 'his-1',
      organization: 'org-9',
      roles: ['integration-system'],
      scopes: ['system/*.rs'],
    });
    expect(await introspect(fx, token, 'his-1', secret)).toMatchObject({
      active: true,
      client_id: 'his-1',
      scope: 'system/*.rs',
    });
    expect(await readsPatient(fx, token)).toBe(404);

    // A second replica on the same database: it must learn about the revocation by itself.
    const { createIdentityProvider } = await import('@yiyun/auth');
    const replica = await createIdentityProvider({
      issuer: fx.origin,
      database: fx.store.database,
      accounts: fx.accounts,
      logger: (await import('pino')).default({ level: 'silent' }),
      cookieKeys: ['k'.repeat(32)],
      keyEncryptionKey: KEK,
      pollMs: 200,
    });
    try {
      expect((await replica.verifyAccessToken(token)).clientId).toBe('his-1');
      const revoke = await fetch(`${fx.origin}/oauth2/revoke`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`his-1:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
      });
      expect(revoke.status).toBe(200);
      expect(await readsPatient(fx, token)).toBe(401);
      expect(await introspect(fx, token, 'his-1', secret)).toEqual({ active: false });
      const deadline = Date.now() + 5000;
      let rejected = false;
      while (!rejected && Date.now() < deadline) {
        rejected = await replica.verifyAccessToken(token).then(
          () => false,
          () => true,
        );
        if (!rejected) await new Promise((r) => setTimeout(r, 100));
      }
      expect(rejected).toBe(true);
    } finally {
      await replica.close();
    }
  });

  it('rejects access tokens replayed after logout (end_session)', async () => {
    await using fx = await createOidcFixture();
    await createStaff(fx, 'doctor.li');
    await registerApp(fx, 'app-logout', 'openid fhirUser user/*.rs');
    const { tokens, browser } = await authorize(fx, {
      clientId: 'app-logout',
      scope: 'openid fhirUser user/Patient.rs',
      username: 'doctor.li',
    });
    const sys = await systemToken(fx);
    await putPatient(fx, sys, 'p1');
    expect(await readsPatient(fx, tokens.access_token)).toBe(200);
    await logout(fx, browser, tokens.id_token ?? '');
    expect(await readsPatient(fx, tokens.access_token)).toBe(401);
    expect(await readsPatient(fx, sys)).toBe(200);
  });

  it('revoking a refresh token ends the grant and its access tokens', async () => {
    await using fx = await createOidcFixture();
    await createStaff(fx, 'doctor.ma');
    await registerApp(fx, 'app-rt', 'openid offline_access user/*.rs');
    const { tokens } = await authorize(fx, {
      clientId: 'app-rt',
      scope: 'openid offline_access user/Patient.rs',
      username: 'doctor.ma',
    });
    await putPatient(fx, await systemToken(fx), 'p1');
    expect(await readsPatient(fx, tokens.access_token)).toBe(200);
    const revoke = await fetch(`${fx.origin}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token ?? '', client_id: 'app-rt' }),
    });
    expect(revoke.status).toBe(200);
    expect(await readsPatient(fx, tokens.access_token)).toBe(401);
  });

  it('rotates keys: old tokens stay valid, new tokens carry the new kid, both keys published', async () => {
    await using fx = await createOidcFixture();
    const before = await systemToken(fx);
    await putPatient(fx, before, 'p1');
    const oldKid = decodeProtectedHeader(before).kid;
    const newKid = await fx.idp.rotateKeys();
    expect(newKid).not.toBe(oldKid);
    const after = await systemToken(fx, 'system-2');
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect(await readsPatient(fx, before)).toBe(200);
    expect(await readsPatient(fx, after)).toBe(200);
    const jwks = (await (await fetch(`${fx.origin}/oauth2/jwks`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
  });
});

async function logout(fx: OidcFixture, browser: Browser, idToken: string): Promise<void> {
  const page = await browser.get(
    `${fx.origin}/oauth2/logout?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: APP_REDIRECT })}`,
  );
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /action="([^"]+)"/.exec(html)?.[1] ?? '';
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const done = await browser.post(new URL(action, fx.origin).href, { xsrf, logout: 'yes' }, fx.origin);
  expect(done.status).toBe(303);
  expect(done.headers.get('location')).toBe(APP_REDIRECT);
}
