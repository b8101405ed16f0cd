/**
 * The health card operations over in-process HTTP on the platform with the resident registry linking
 * on write, the real access policy, store and audit log: who may issue, look up, revoke, produce and
 * verify, and that hidden records stay hidden.
 */
import type { Bundle, OperationOutcome, Parameters, Patient, Resource } from '@medplum/fhirtypes';
import { isValidHealthCard, RESIDENT_ID_SYSTEM } from '@yiyun/fhir';
import { type HealthCardJwks, verifyHealthCardOffline } from '@yiyun/mpi';
import { describe, expect, it } from 'vitest';
import { healthCardJwks } from '../../src/operations/health-card.ts';
import { CARD_ISSUER, createRegistryFixture, system, user } from '../registry/registry-fixture.ts';

const RESIDENT_NUMBER = '11010519491231002X';

/** Bearer tokens of the test are the principals' names. */
const PRINCIPALS = {
  h1: system('h1-his', 'h1'),
  h2: system('h2-his', 'h2'),
  doctorH1: user('acct-doc-h1', ['clinician'], { organization: 'h1' }),
  doctorH3: user('acct-doc-h3', ['clinician'], { organization: 'h3' }),
  adminH1: user('acct-admin-h1', ['institution-admin'], { organization: 'h1' }),
  analyst: user('acct-analyst', ['public-health-analyst']),
  resident: user('acct-zhang', ['resident'], { patient: 'pA', scopes: ['patient/*.cruds'] }),
};

const patient = (id: string, org: string, number: string, family: string, given: string): Patient => ({
  resourceType: 'Patient',
  id,
  identifier: [{ system: RESIDENT_ID_SYSTEM, value: number }],
  name: [{ use: 'official', family, given: [given] }],
  managingOrganization: { reference: `Organization/${org}` },
});

/** 张伟 has a record at h1 (pA, treated there) and one at h2 (pB); 李娜 one at h2 (pC). */
async function fixture() {
  const fx = await createRegistryFixture(PRINCIPALS);
  const end = new Date(Date.now() - 86_400_000).toISOString();
  const encounter: Resource = {
    resourceType: 'Encounter',
    id: 'enc-a',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: 'Patient/pA' },
    serviceProvider: { reference: 'Organization/h1' },
    period: { start: end, end },
  };
  const seed: [Resource, keyof typeof PRINCIPALS][] = [
    [{ resourceType: 'Organization', id: 'h1', name: '市第一医院' }, 'h1'],
    [{ resourceType: 'Organization', id: 'h2', name: '社区卫生服务中心' }, 'h2'],
    [patient('pA', 'h1', RESIDENT_NUMBER, '张', '伟'), 'h1'],
    [patient('pB', 'h2', RESIDENT_NUMBER, '张', '伟'), 'h2'],
    [patient('pC', 'h2', '350203199001011234', '李', '娜'), 'h2'],
    [encounter, 'h1'],
  ];
  for (const [resource, token] of seed) expect(await fx.put(resource, token)).toBe(201);
  // The linker put both of 张伟's records under one person as they were written.
  const zhang = await fx.personOf('pA');
  expect(await fx.personOf('pB')).toBe(zhang);
  expect(await fx.personOf('pC')).not.toBe(zhang);
  async function call(who: string, method: string, path: string, params?: Record<string, string>) {
    const body: Parameters | undefined = params && {
      resourceType: 'Parameters',
      parameter: Object.entries(params).map(([name, valueString]) => ({ name, valueString })),
    };
    const res = await fx.fhir(path, who, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Resource };
  }
  const value = (body: Resource, name: string) => {
    const p = (body as Parameters).parameter?.find((x) => x.name === name);
    return p?.valueString ?? p?.valueCode ?? p?.valueBoolean;
  };
  return {
    cards: fx.cards,
    audit: fx.audit,
    zhang,
    call,
    value,
    [Symbol.asyncDispose]: () => fx[Symbol.asyncDispose](),
  };
}

const ids = (body: Resource) => ((body as Bundle).entry ?? []).map((e) => e.resource?.id).filter(Boolean);

describe('health card operations', () => {
  it('lets institution staff issue, refuses others, and keeps one active card', async () => {
    await using fx = await fixture();
    const issued = await fx.call('doctorH1', 'POST', 'Patient/pA/$health-card-issue', {});
    expect(issued.status).toBe(200);
    const number = String(fx.value(issued.body, 'number'));
    expect(isValidHealthCard(number)).toBe(true);
    expect(fx.value(issued.body, 'status')).toBe('active');
    expect((await fx.call('doctorH1', 'POST', 'Patient/pA/$health-card-issue', {})).status).toBe(409);
    // By golden person id, too; the same person already holds a card.
    expect((await fx.call('doctorH1', 'POST', `Patient/${fx.zhang}/$health-card-issue`, {})).status).toBe(
      409,
    );
    expect((await fx.call('doctorH1', 'POST', 'Patient/pC/$health-card-issue', {})).status).toBe(404);
    expect((await fx.call('doctorH3', 'POST', 'Patient/pA/$health-card-issue', {})).status).toBe(404);
    for (const who of ['resident', 'adminH1', 'analyst'])
      expect((await fx.call(who, 'POST', 'Patient/pA/$health-card-issue', {})).status).toBe(403);
  });

  it('looks a resident up by card: only visible records, bad check digit is invalid, audited', async () => {
    await using fx = await fixture();
    const number = (await fx.cards.issue(fx.zhang, 'acct-desk')).number;
    const seen = await fx.call('doctorH1', 'GET', `Patient/$health-card-lookup?number=${number}`);
    expect(seen.status).toBe(200);
    expect(ids(seen.body).sort()).toEqual(['pA', 'pB']);
    expect((seen.body as Bundle).total).toBe(2);
    const hidden = await fx.call('doctorH3', 'POST', 'Patient/$health-card-lookup', { number });
    expect(hidden).toMatchObject({ status: 200, body: { resourceType: 'Bundle', total: 0 } });
    expect(
      ids((await fx.call('resident', 'GET', `Patient/$health-card-lookup?number=${number}`)).body).sort(),
    ).toEqual(['pA', 'pB']);
    const bad = await fx.call(
      'doctorH1',
      'GET',
      `Patient/$health-card-lookup?number=${number.slice(0, 17)}${(Number(number[17]) + 1) % 10}`,
    );
    expect(bad.status).toBe(400);
    expect((bad.body as OperationOutcome).issue?.[0]?.diagnostics).toMatch(/check digit/);
    expect((await fx.call('analyst', 'GET', `Patient/$health-card-lookup?number=${number}`)).status).toBe(
      403,
    );

    await fx.audit.flush();
    const events = await fx.audit.search({ agent: 'acct-doc-h1', count: 20, offset: 0 });
    const lookups = events.events.filter((e) =>
      e.entity?.some((x) => x.description === '$health-card-lookup'),
    );
    expect(lookups).toHaveLength(2);
    const patients = lookups.flatMap((e) => e.entity?.map((x) => x.what?.reference) ?? []);
    expect(patients).toEqual(expect.arrayContaining(['Patient/pA', 'Patient/pB']));
  });

  it('gives the resident and a clinician a QR payload that verifies offline and online', async () => {
    await using fx = await fixture();
    const number = (await fx.cards.issue(fx.zhang, 'acct-desk')).number;
    const own = await fx.call('resident', 'GET', '$health-card-qr');
    expect(own.status).toBe(200);
    const payload = String(fx.value(own.body, 'payload'));
    expect(fx.value(own.body, 'number')).toBe(number);
    const jwks = await healthCardJwks(fx.cards);
    const offline = await verifyHealthCardOffline(payload, jwks as HealthCardJwks, {
      issuer: CARD_ISSUER,
      name: '张伟',
    });
    expect(offline).toMatchObject({ valid: true, card: number, nameMatches: true });

    expect((await fx.call('doctorH1', 'POST', 'Patient/pB/$health-card-qr', {})).status).toBe(200);
    expect((await fx.call('doctorH3', 'POST', 'Patient/pB/$health-card-qr', {})).status).toBe(404);
    expect((await fx.call('resident', 'POST', 'Patient/pC/$health-card-qr', {})).status).toBe(404);
    expect((await fx.call('adminH1', 'GET', '$health-card-qr')).status).toBe(403);

    const checked = await fx.call('doctorH3', 'POST', '$health-card-verify', { payload, name: '张伟' });
    expect(checked.status).toBe(200);
    expect([fx.value(checked.body, 'valid'), fx.value(checked.body, 'nameMatches')]).toEqual([true, true]);
    const junk = await fx.call('doctorH3', 'POST', '$health-card-verify', { payload: 'not.a.jws' });
    expect([fx.value(junk.body, 'valid'), fx.value(junk.body, 'reason')]).toEqual([false, 'malformed']);
    expect((await fx.call('doctorH3', 'POST', '$health-card-verify', {})).status).toBe(400);
  });

  it('revokes on loss: online verification fails, lookup warns, a new card can be issued', async () => {
    await using fx = await fixture();
    const number = (await fx.cards.issue(fx.zhang, 'acct-desk')).number;
    const payload = await fx.cards.qrPayload(number, '张伟');
    expect(
      (await fx.call('doctorH3', 'POST', 'Patient/pA/$health-card-revoke', { reason: 'lost' })).status,
    ).toBe(404);
    expect((await fx.call('resident', 'POST', 'Patient/pA/$health-card-revoke', {})).status).toBe(400);
    const revoked = await fx.call('resident', 'POST', 'Patient/pA/$health-card-revoke', { reason: 'lost' });
    expect(revoked.status).toBe(200);
    expect(fx.value(revoked.body, 'status')).toBe('revoked');
    const verify = await fx.call('doctorH1', 'POST', '$health-card-verify', { payload });
    expect([fx.value(verify.body, 'valid'), fx.value(verify.body, 'reason')]).toEqual([false, 'revoked']);
    const lookup = await fx.call('doctorH1', 'GET', `Patient/$health-card-lookup?number=${number}`);
    const outcome = (lookup.body as Bundle).entry?.find((e) => e.search?.mode === 'outcome');
    expect(JSON.stringify(outcome)).toMatch(/revoked/);
    const again = await fx.call('doctorH1', 'POST', 'Patient/pB/$health-card-issue', {});
    expect(again.status).toBe(200);
    expect(fx.value(again.body, 'number')).not.toBe(number);
  });
});
