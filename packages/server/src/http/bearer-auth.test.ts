import type { Principal } from '@yiyun/auth';
import { AppError } from '@yiyun/fhir';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bearerAuth } from './bearer-auth.ts';
import type { AppEnv } from './env.ts';

const principal: Principal = {
  kind: 'system',
  subject: 'c1',
  clientId: 'c1',
  roles: [],
  scopes: ['system/*.r'],
};

function app(verify: (token: string) => Promise<Principal>) {
  const hono = new Hono<AppEnv>();
  hono.use('*', bearerAuth({ verify }));
  hono.get('/who', (c) => c.json(c.get('principal')));
  return hono;
}

const accept = async (token: string) => {
  if (token === 'good.token.sig') return principal;
  throw new AppError('unauthenticated', 'bad signature');
};

describe('bearerAuth', () => {
  it('sets the principal from a valid bearer token', async () => {
    const res = await app(accept).request('/who', { headers: { authorization: 'Bearer good.token.sig' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(principal);
  });

  it('answers 401 with a challenge and an OperationOutcome without a token', async () => {
    const res = await app(accept).request('/who');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="yiyun"');
    expect(await res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
  });

  it('answers 401 invalid_token for a rejected, malformed or non-bearer credential, never echoing why', async () => {
    for (const authorization of ['Bearer bad.token.sig', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b']) {
      const res = await app(accept).request('/who', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="yiyun", error="invalid_token"');
      expect(await res.text()).not.toContain('bad signature');
    }
  });

  it('lets unexpected verifier failures through to the error handler (not a 401)', async () => {
    const hono = app(async () => {
      throw new Error('database down');
    });
    hono.onError((_err, c) => c.json({ error: 'internal' }, 500));
    const res = await hono.request('/who', { headers: { authorization: 'Bearer x.y.z' } });
    expect(res.status).toBe(500);
  });
});
