import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MedplumClient } from '@medplum/core';
import type { Bundle, Patient } from '@medplum/fhirtypes';
// The package's main entry is its Node adapter (fhirclient/lib/entry/node.js).
import smart from 'fhirclient';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  Browser,
  createOidcFixture,
  formAction,
  formToken,
  type OidcFixture,
  PASSWORD,
} from './oidc-fixture.ts';
import { createResident, putPatient, systemToken } from './oidc-login.ts';

/** fhirclient's storage contract, in memory (the app server's session store). */
function memoryStorage() {
  const data = new Map<string, unknown>();
  return {
    set: async (key: string, value: unknown) => {
      data.set(key, value);
      return value;
    },
    get: async (key: string) => data.get(key),
    unset: async (key: string) => data.delete(key),
  };
}

/** A tiny SMART app server: `/launch` starts the standalone launch, `/callback` reads the patient. */
async function startSmartApp(fhirBase: string) {
  const storage = memoryStorage();
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/launch') {
      void smart(req, res, storage).authorize({
        iss: fhirBase,
        clientId: 'fhirclient-app',
        scope: 'openid fhirUser launch/patient patient/Patient.read',
        redirectUri: '/callback',
        pkceMode: 'required',
      });
      return;
    }
    void smart(req, res, storage)
      .ready()
      .then(async (client) => {
        const patient = (await client.patient.read()) as Patient;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ patient, id: client.patient.id }));
      })
      .catch((err: Error) => res.writeHead(500).end(String(err.message)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function clientCredentials(fx: OidcFixture, form: Record<string, string>) {
  const res = await fetch(`${fx.origin}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...form }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { access_token?: string; error?: string; scope?: string },
  };
}

describe('real SMART and FHIR clients', () => {
  it('fhirclient completes a standalone launch and reads the patient', async () => {
    await using fx = await createOidcFixture();
    await using app = await startSmartApp(fx.fhirBase);
    await createResident(fx, 'resident.zhou', 'pat-zhou');
    await putPatient(fx, await systemToken(fx), 'pat-zhou');
    await fx.idp.registerClient({
      clientId: 'fhirclient-app',
      redirectUris: [`${app.origin}/callback`],
      grantTypes: ['authorization_code'],
      scope: 'openid fhirUser launch/patient patient/*.read',
    });
    const browser = new Browser();
    const toIdp = await browser.get(`${app.origin}/launch`);
    expect(toIdp.status).toBe(302);
    let step = await browser.follow(await browser.get(toIdp.headers.get('location') ?? ''), fx.origin);
    for (let pages = 0; pages < 3 && step.url.startsWith(fx.origin); pages++) {
      const html = await step.res.text();
      const form: Record<string, string> = { csrf: formToken(html) };
      if (html.includes('name="password"'))
        Object.assign(form, { username: 'resident.zhou', password: PASSWORD });
      step = await browser.follow(
        await browser.post(`${fx.origin}${formAction(html)}`, form, fx.origin),
        fx.origin,
      );
    }
    expect(step.url.startsWith(`${app.origin}/callback?`)).toBe(true);
    const done = await browser.get(step.url);
    const text = await done.text();
    expect(done.status, text).toBe(200);
    const body = JSON.parse(text) as { patient: Patient; id: string };
    expect(body.id).toBe('pat-zhou');
    expect(body.patient).toMatchObject({ resourceType: 'Patient', id: 'pat-zhou' });
  });

  it('the Medplum SDK signs in with client credentials (client_secret_post) and reads and searches', async () => {
    await using fx = await createOidcFixture();
    const secret = 'm'.repeat(48);
    await fx.idp.registerClient({
      clientId: 'demo-system',
      secret,
      grantTypes: ['client_credentials'],
      scope: 'system/*.cruds',
      roles: ['integration-system'],
    });
    const medplum = new MedplumClient({ baseUrl: `${fx.origin}/`, fetch: globalThis.fetch.bind(globalThis) });
    await medplum.startClientLogin('demo-system', secret);
    const token = medplum.getAccessToken() ?? '';
    expect(decodeJwt(token)).toMatchObject({
      client_id: 'demo-system',
      scope: 'system/*.cruds',
      aud: fx.fhirBase,
    });
    const created = await medplum.createResource<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Medplum' }],
    });
    const read = await medplum.readResource('Patient', created.id ?? '');
    expect(read.name?.[0]?.family).toBe('Medplum');
    const bundle: Bundle<Patient> = await medplum.search('Patient', { family: 'Medplum' });
    expect(bundle.entry?.map((e) => e.resource?.id)).toEqual([created.id]);

    const wrong = await clientCredentials(fx, { client_id: 'demo-system', client_secret: 'x'.repeat(48) });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('SMART Backend Services: private_key_jwt with ES384 and RS384 assertions, replay refused', async () => {
    await using fx = await createOidcFixture();
    for (const alg of ['ES384', 'RS384'] as const) {
      const clientId = `lis-${alg}`;
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const jwk = { ...(await exportJWK(publicKey)), kid: `${alg}-1`, alg };
      await fx.idp.registerClient({
        clientId,
        jwks: { keys: [jwk] },
        grantTypes: ['client_credentials'],
        scope: 'system/Patient.rs system/Observation.cruds',
        roles: ['integration-system'],
        organization: 'org-lab',
      });
      const assertion = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg, kid: `${alg}-1`, typ: 'JWT' })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(`${fx.origin}/oauth2/token`)
        .setExpirationTime('5m')
        .sign(privateKey);
      const form = {
        scope: 'system/Patient.rs system/Observation.cruds system/Condition.r',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      };
      const ok = await clientCredentials(fx, form);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.scope).toBe('system/Patient.rs system/Observation.cruds');
      const principal = await fx.idp.verifyAccessToken(ok.body.access_token ?? '');
      expect(principal).toMatchObject({
        kind: 'system',
        clientId,
        organization: 'org-lab',
        roles: ['integration-system'],
      });
      expect((await fx.fhir('Patient?_count=1', ok.body.access_token)).status).toBe(200);
      const replay = await clientCredentials(fx, form);
      expect(replay.status).toBe(401);

      const other = await generateKeyPair(alg);
      const forged = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg, kid: `${alg}-1` })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(`${fx.origin}/oauth2/token`)
        .setExpirationTime('5m')
        .sign(other.privateKey);
      expect((await clientCredentials(fx, { ...form, client_assertion: forged })).status).toBe(401);
    }
  });
});
