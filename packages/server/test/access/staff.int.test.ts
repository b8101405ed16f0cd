/**
 * `/admin/staff` (issue #7, operator console): institution admins manage their own institution's
 * staff, the platform operator everyone's; nobody else. (That a disabled account cannot sign in is
 * driven through the sign-in page in packages/web/e2e/portal.e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../auth/oidc-fixture.ts';
import { type AccessFixture, createAccessFixture } from './access-fixture.ts';

let fx: AccessFixture;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fx = await createAccessFixture();
  tokens['h1Admin'] = (
    await fx.userToken({ username: 'h1-admin', roles: ['institution-admin'], organization: 'h1' })
  ).token;
  tokens['operator'] = (await fx.userToken({ username: 'operator', roles: ['platform-admin'] })).token;
  tokens['doctor'] = (
    await fx.userToken({ username: 'doctor-h1', roles: ['clinician'], organization: 'h1' })
  ).token;
  await fx.createAccount({ username: 'doctor-h2', roles: ['clinician'], organization: 'h2' });
});
afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
});

const staff = (token: string, init: RequestInit = {}, path = '') =>
  fetch(`${fx.origin}/admin/staff${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });

interface Listed {
  accounts: { id: string; username: string; organization?: string; disabled: boolean }[];
}

describe('staff accounts', () => {
  it('an institution admin lists and creates staff of their institution only, with institution roles', async () => {
    const list = (await (await staff(tokens['h1Admin']!)).json()) as Listed;
    expect(list.accounts.map((a) => a.username).sort()).toEqual(['doctor-h1', 'h1-admin']);
    const body = { username: 'nurse-h1', displayName: '护士', password: PASSWORD, roles: ['nurse'] };
    const created = await staff(tokens['h1Admin']!, { method: 'POST', body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ username: 'nurse-h1', organization: 'h1', disabled: false });
    for (const bad of [
      { ...body, username: 'op2', roles: ['platform-admin'] },
      { ...body, username: 'h2-nurse', organization: 'h2' },
      { ...body, username: 'weak', password: 'short' },
      { ...body, username: 'nurse-h1' },
    ]) {
      const res = await staff(tokens['h1Admin']!, { method: 'POST', body: JSON.stringify(bad) });
      expect(res.status, bad.username).toBeGreaterThanOrEqual(400);
      expect(res.status, bad.username).toBeLessThan(500);
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    }
  });

  it('the operator sees every institution; a clinician may not manage staff', async () => {
    const list = (await (await staff(tokens['operator']!)).json()) as Listed;
    expect(list.accounts.map((a) => a.username)).toEqual(expect.arrayContaining(['doctor-h1', 'doctor-h2']));
    expect((await staff(tokens['doctor']!)).status).toBe(403);
    expect((await staff('not-a-token')).status).toBe(401);
  });

  it('disables an account of the institution (not another institution’s, not one’s own), audited', async () => {
    const all = (await (await staff(tokens['operator']!)).json()) as Listed;
    const id = (name: string) => all.accounts.find((a) => a.username === name)!.id;
    const off = { method: 'POST', body: JSON.stringify({ disabled: true }) };
    expect((await staff(tokens['h1Admin']!, off, `/${id('doctor-h2')}/disabled`)).status).toBe(404);
    expect((await staff(tokens['h1Admin']!, off, `/${id('h1-admin')}/disabled`)).status).toBe(400);
    const res = await staff(tokens['h1Admin']!, off, `/${id('doctor-h1')}/disabled`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ disabled: true });
    const after = (await (await staff(tokens['h1Admin']!)).json()) as Listed;
    expect(after.accounts.find((a) => a.username === 'doctor-h1')?.disabled).toBe(true);
    await fx.audit.flush();
    const events = await fx.audit.search({ kind: ['update'], count: 10, offset: 0 });
    expect(JSON.stringify(events.events)).toContain(`staff account ${id('doctor-h1')} disabled`);
  });
});

describe('roles and passwords', () => {
  const post = (token: string, path: string, body: unknown) =>
    staff(token, { method: 'POST', body: JSON.stringify(body) }, path);
  const idOf = async (name: string) =>
    ((await (await staff(tokens['operator']!)).json()) as Listed).accounts.find((a) => a.username === name)!
      .id;

  it('an institution admin changes the roles of their staff, within the institution roles', async () => {
    const nurse = await fx.createAccount({ username: 'nurse2-h1', roles: ['nurse'], organization: 'h1' });
    const res = await post(tokens['h1Admin']!, `/${nurse}/roles`, { roles: ['nurse', 'family-doctor'] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { roles: string[] }).roles).toEqual(['nurse', 'family-doctor']);
    expect((await fx.accounts.find(nurse))?.roles).toEqual(['nurse', 'family-doctor']);
    for (const roles of [[], ['platform-admin'], ['resident'], 'nurse']) {
      const bad = await post(tokens['h1Admin']!, `/${nurse}/roles`, { roles });
      expect(bad.status, JSON.stringify(roles)).toBe(400);
    }
    expect((await fx.accounts.find(nurse))?.roles).toEqual(['nurse', 'family-doctor']);
    // Another institution's account, one's own, and a clinician trying: refused.
    expect(
      (await post(tokens['h1Admin']!, `/${await idOf('doctor-h2')}/roles`, { roles: ['nurse'] })).status,
    ).toBe(404);
    expect(
      (await post(tokens['h1Admin']!, `/${await idOf('h1-admin')}/roles`, { roles: ['nurse'] })).status,
    ).toBe(400);
    expect((await post(tokens['doctor']!, `/${nurse}/roles`, { roles: ['clinician'] })).status).toBe(403);
  });

  it('the operator gives platform roles; an institution admin cannot touch such an account', async () => {
    const doctorH2 = await idOf('doctor-h2');
    const res = await post(tokens['operator']!, `/${doctorH2}/roles`, {
      roles: ['public-health-analyst', 'clinician'],
    });
    expect(res.status).toBe(200);
    const h1Analyst = await fx.createAccount({
      username: 'ph-h1',
      roles: ['public-health-analyst'],
      organization: 'h1',
    });
    expect((await post(tokens['h1Admin']!, `/${h1Analyst}/roles`, { roles: ['nurse'] })).status).toBe(403);
    expect(
      (await post(tokens['h1Admin']!, `/${h1Analyst}/password`, { password: `${PASSWORD}x` })).status,
    ).toBe(403);
  });

  it('resets a password under the policy: the new one signs in, the old one no longer does; audited', async () => {
    const id = await fx.createAccount({ username: 'reset-h1', roles: ['clinician'], organization: 'h1' });
    expect((await post(tokens['h1Admin']!, `/${id}/password`, { password: 'short' })).status).toBe(400);
    expect((await post(tokens['h1Admin']!, `/${id}/password`, {})).status).toBe(400);
    const fresh = 'Xiamen-Gulangyu-2026!';
    const res = await post(tokens['h1Admin']!, `/${id}/password`, { password: fresh });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).not.toContain(fresh);
    expect((await fx.accounts.authenticate({ username: 'reset-h1', password: fresh })).ok).toBe(true);
    expect((await fx.accounts.authenticate({ username: 'reset-h1', password: PASSWORD })).ok).toBe(false);
    await fx.audit.flush();
    const events = await fx.audit.search({ kind: ['update'], count: 50, offset: 0 });
    const text = JSON.stringify(events.events);
    expect(text).toContain(`staff account ${id} password reset`);
    expect(text).not.toContain(fresh);
  });
});
