/**
 * The authorization matrix of issue #4: every role × own / other institution × with / without care
 * relationship × with / without consent × sensitive / ordinary × read / search / write / delete /
 * $everything / export / _include, each cell's outcome asserted over real HTTP with real tokens.
 * Search totals must never count what the caller cannot see.
 */
import type {
  Bundle,
  Condition,
  Consent,
  Encounter,
  Parameters as FhirParameters,
  Observation,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { withCustodian } from '@yiyun/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessFixture, createAccessFixture } from './access-fixture.ts';

let fx: AccessFixture;
const DAY = 86_400_000;
const RESIDENT_ID = 'https://yiyun.dev/fhir/sid/cn-resident-id';

/** The records, by name: `a` at hospital h1, `b`/`c`/`e` at h2 (see beforeAll). */
const RECORDS = {
  oA: 'obs-a', // h1's record of person 1 (own institution for h1 staff)
  oB: 'obs-b', // h2's ordinary record of person 1 (h1 has a care relationship, no consent on file)
  cB: 'cond-b', // h2's mental-health record of person 1 (sensitive, not consented)
  oC: 'obs-c', // h2's record of person 2 (no care relationship with h1)
  oE: 'obs-e', // h2's record of person 3 (care relationship with h1, but opted out)
} as const;
type RecordName = keyof typeof RECORDS;

const patient = (id: string, number: string, org: string): Patient => ({
  resourceType: 'Patient',
  id,
  identifier: [{ system: RESIDENT_ID, value: number }],
  managingOrganization: { reference: `Organization/${org}` },
});
const obs = (id: string, patientId: string): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${patientId}` },
  valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
});
const encounter = (id: string, patientId: string, org: string): Encounter => {
  const end = new Date(Date.now() - 5 * DAY).toISOString();
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: `Patient/${patientId}` },
    serviceProvider: { reference: `Organization/${org}` },
    period: { start: end, end },
  };
};

async function seed(): Promise<void> {
  const repo = fx.store.repository();
  const put = (r: Resource, org: string) => repo.update(withCustodian(r, org));
  await put({ resourceType: 'Organization', id: 'h1', name: '厦门市第一医院' }, 'h1');
  await put({ resourceType: 'Organization', id: 'h2', name: '思明区社区卫生服务中心' }, 'h2');
  await put(patient('pA', '11010519491231002X', 'h1'), 'h1');
  await put(patient('pB', '11010519491231002X', 'h2'), 'h2');
  await put(patient('pC', '350203199001011234', 'h2'), 'h2');
  await put(patient('pD', '350203198506150026', 'h1'), 'h1');
  await put(patient('pE', '350203198506150026', 'h2'), 'h2');
  await put(encounter('enc-a', 'pA', 'h1'), 'h1');
  await put(encounter('enc-d', 'pD', 'h1'), 'h1');
  await put(obs(RECORDS.oA, 'pA'), 'h1');
  await put(obs(RECORDS.oB, 'pB'), 'h2');
  await put(obs(RECORDS.oC, 'pC'), 'h2');
  await put(obs(RECORDS.oE, 'pE'), 'h2');
  const depression: Condition = {
    resourceType: 'Condition',
    id: RECORDS.cB,
    subject: { reference: 'Patient/pB' },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'F32.9' }] },
  };
  await put(depression, 'h2');
  const optOut: Consent = {
    resourceType: 'Consent',
    id: 'consent-e',
    status: 'active',
    scope: { coding: [{ code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: 'Patient/pE' },
    dateTime: '2026-01-01',
    provision: { type: 'deny' },
  };
  await put(optOut, 'h2');
  // Written past the API, so linked here as the background linker would: pA/pB and pD/pE share an ID.
  await fx.registry.drain();
}

const typeOf = (name: RecordName) => (name === 'cB' ? 'Condition' : 'Observation');
const path = (name: RecordName) => `${typeOf(name)}/${RECORDS[name]}`;

interface Caller {
  readonly token: string;
  readonly accountId?: string;
}
const callers: Record<string, Caller> = {};

/** Expected read outcome per record: 200 visible, 404 hidden, 403 not allowed at all. */
const READS: Record<string, Record<RecordName, number>> = {
  clinician: { oA: 200, oB: 200, cB: 404, oC: 404, oE: 404 },
  'family-doctor': { oA: 200, oB: 200, cB: 404, oC: 404, oE: 404 },
  nurse: { oA: 200, oB: 200, cB: 404, oC: 404, oE: 404 },
  'institution-admin': { oA: 404, oB: 404, cB: 404, oC: 404, oE: 404 },
  'platform-admin': { oA: 404, oB: 404, cB: 404, oC: 404, oE: 404 },
  analyst: { oA: 403, oB: 403, cB: 403, oC: 403, oE: 403 },
  resident: { oA: 200, oB: 200, cB: 200, oC: 404, oE: 404 },
  'hospital-system': { oA: 404, oB: 200, cB: 200, oC: 200, oE: 200 },
  'platform-system': { oA: 200, oB: 200, cB: 200, oC: 200, oE: 200 },
};

/** Expected status of updating each record (a no-op change of status). */
const WRITES: Record<string, Record<RecordName, number>> = {
  clinician: { oA: 200, oB: 403, cB: 404, oC: 404, oE: 404 },
  'family-doctor': { oA: 200, oB: 403, cB: 404, oC: 404, oE: 404 },
  nurse: { oA: 200, oB: 403, cB: 403, oC: 404, oE: 404 },
  'institution-admin': { oA: 403, oB: 403, cB: 403, oC: 403, oE: 403 },
  'platform-admin': { oA: 403, oB: 403, cB: 403, oC: 403, oE: 403 },
  analyst: { oA: 403, oB: 403, cB: 403, oC: 403, oE: 403 },
  resident: { oA: 403, oB: 403, cB: 403, oC: 403, oE: 403 },
  'hospital-system': { oA: 404, oB: 200, cB: 200, oC: 200, oE: 200 },
  'platform-system': { oA: 200, oB: 200, cB: 200, oC: 200, oE: 200 },
};

beforeAll(async () => {
  fx = await createAccessFixture();
  await seed();
  const users: [string, Parameters<AccessFixture['userToken']>[0]][] = [
    ['clinician', { username: 'doctor', roles: ['clinician'], organization: 'h1' }],
    ['family-doctor', { username: 'gp', roles: ['family-doctor'], organization: 'h1' }],
    ['nurse', { username: 'nurse', roles: ['nurse'], organization: 'h1' }],
    ['institution-admin', { username: 'h1-admin', roles: ['institution-admin'], organization: 'h1' }],
    ['platform-admin', { username: 'admin', roles: ['platform-admin'] }],
    ['analyst', { username: 'analyst', roles: ['public-health-analyst'], organization: 'cdc' }],
    ['resident', { username: 'resident', roles: ['resident'], patient: 'pA' }],
  ];
  for (const [name, user] of users) callers[name] = await fx.userToken(user);
  callers['hospital-system'] = { token: await fx.systemToken('h2-his', { organization: 'h2' }) };
  callers['platform-system'] = { token: await fx.systemToken('platform') };
});
afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
});

async function total(caller: Caller, query: string): Promise<number> {
  const res = await fx.fhir(query, caller.token);
  expect(res.status, query).toBe(200);
  return ((await res.json()) as Bundle).total ?? -1;
}

describe('authorization matrix', () => {
  for (const role of Object.keys(READS)) {
    it(`${role}: read, search and _include see exactly the permitted records`, async () => {
      const caller = callers[role]!;
      for (const name of Object.keys(RECORDS) as RecordName[]) {
        const expected = READS[role]![name];
        const res = await fx.fhir(path(name), caller.token);
        expect(res.status, `${role} reads ${name}`).toBe(expected);
        if (expected === 403) continue;
        const found = await total(caller, `${typeOf(name)}?_id=${RECORDS[name]}&_total=accurate`);
        expect(found, `${role} searches ${name}`).toBe(expected === 200 ? 1 : 0);
      }
      if (role === 'analyst') return;
      // Totals never count hidden records.
      const visibleObs = (['oA', 'oB', 'oC', 'oE'] as const).filter((n) => READS[role]![n] === 200).length;
      expect(await total(caller, 'Observation?_total=accurate')).toBe(visibleObs);
      expect(await total(caller, 'Observation?_summary=count')).toBe(visibleObs);
      // _include brings the subject only when the caller may see it.
      const res = await fx.fhir(`Observation?_id=${RECORDS.oB}&_include=Observation:subject`, caller.token);
      const bundle = (await res.json()) as Bundle;
      const included = (bundle.entry ?? [])
        .filter((e) => e.search?.mode === 'include')
        .map((e) => e.resource?.id);
      expect(included, `${role} includes`).toEqual(READS[role]!.oB === 200 ? ['pB'] : []);
    });

    it(`${role}: update and delete obey institution and visibility`, async () => {
      const caller = callers[role]!;
      for (const name of Object.keys(RECORDS) as RecordName[]) {
        const body =
          typeOf(name) === 'Condition'
            ? {
                resourceType: 'Condition',
                id: RECORDS[name],
                subject: { reference: 'Patient/pB' },
                code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'F32.9' }] },
              }
            : obs(RECORDS[name], { oA: 'pA', oB: 'pB', oC: 'pC', oE: 'pE', cB: 'pB' }[name]);
        const res = await fx.fhir(path(name), caller.token, { method: 'PUT', body: JSON.stringify(body) });
        expect(res.status, `${role} updates ${name}: ${await res.clone().text()}`).toBe(WRITES[role]![name]);
        // Delete is refused the same way, but only tried where it must fail (the fixture stays).
        if (WRITES[role]![name] !== 200) {
          const del = await fx.fhir(path(name), caller.token, { method: 'DELETE' });
          expect(del.status, `${role} deletes ${name}`).toBe(WRITES[role]![name]);
        }
      }
    });
  }

  it('$everything returns only what the caller may see of the patient', async () => {
    const ids = async (caller: Caller) => {
      const res = await fx.fhir('Patient/pB/$everything', caller.token);
      if (res.status !== 200) return res.status;
      return ((await res.json()) as Bundle).entry?.map((e) => e.resource?.id).sort();
    };
    // The patient, their visible compartment and what it references (the holding Organization).
    expect(await ids(callers['clinician']!)).toEqual([RECORDS.oB, 'h2', 'pB'].sort());
    expect(await ids(callers['resident']!)).toEqual([RECORDS.cB, RECORDS.oB, 'h2', 'pB'].sort());
    expect(await ids(callers['institution-admin']!)).toBe(404);
    expect(await ids(callers['analyst']!)).toBe(403);
  });

  it('bulk export is for the platform operator only', async () => {
    for (const role of Object.keys(READS)) {
      const res = await fx.fhir('$export', callers[role]!.token, { headers: { prefer: 'respond-async' } });
      const expected = role === 'platform-system' || role === 'platform-admin' ? 202 : 403;
      expect(res.status, `${role} exports`).toBe(expected);
    }
  });

  it('an analyst counts across the region but never names a person', async () => {
    const analyst = callers['analyst']!;
    expect(await total(analyst, 'Observation?_summary=count')).toBe(4);
    expect(
      (await fx.fhir(`Patient?identifier=${RESIDENT_ID}|350203199001011234&_summary=count`, analyst.token))
        .status,
    ).toBe(403);
    expect((await fx.fhir('Observation?code=http://loinc.org|8867-4', analyst.token)).status).toBe(403);
  });

  it('a resident writes their consent, and sharing it lets the care relationship see the sensitive record', async () => {
    const resident = callers['resident']!;
    const clinician = callers['clinician']!;
    expect((await fx.fhir(path('cB'), clinician.token)).status).toBe(404);
    const consent: Consent = {
      resourceType: 'Consent',
      status: 'active',
      scope: { coding: [{ code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: 'Patient/pA' },
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
      dateTime: new Date().toISOString(),
      provision: { type: 'permit', provision: [{ type: 'permit', securityLabel: [{ code: 'PSY' }] }] },
    };
    const res = await fx.fhir('Consent', resident.token, { method: 'POST', body: JSON.stringify(consent) });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await fx.fhir(path('cB'), clinician.token)).status).toBe(200);
  });

  it('break-the-glass opens a hidden resident for the declaring clinician and queues it for review', async () => {
    const doctor = await fx.userToken({ username: 'er-doctor', roles: ['clinician'], organization: 'h1' });
    expect((await fx.fhir(path('oC'), doctor.token)).status).toBe(404);
    const declare = (token: string, reason: string) =>
      fx.fhir('Patient/$break-the-glass', token, {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [
            { name: 'identifier', valueString: `${RESIDENT_ID}|350203199001011234` },
            { name: 'reason', valueString: reason },
          ],
        }),
      });
    expect((await declare(callers['nurse']!.token, '急诊抢救')).status).toBe(403);
    expect((await declare(doctor.token, '')).status).toBe(400);
    const res = await declare(doctor.token, '急诊昏迷，需查既往病史');
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await fx.fhir(path('oC'), doctor.token)).status).toBe(200);
    expect((await fx.fhir(path('oC'), callers['clinician']!.token)).status).toBe(404);
    const review = await fx.fhir('$break-the-glass-review', callers['institution-admin']!.token);
    expect(review.status).toBe(200);
    const grants =
      ((await review.json()) as { parameter?: { part?: { name: string; valueString?: string }[] }[] })
        .parameter ?? [];
    const grant = grants
      .map((g) => g.part?.find((p) => p.name === 'id')?.valueString)
      .find((id): id is string => id !== undefined);
    expect(grant).toBeDefined();
    const done = await fx.fhir('$break-the-glass-review', callers['institution-admin']!.token, {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'grant', valueString: grant },
          { name: 'note', valueString: '已核实' },
        ],
      }),
    });
    expect(done.status).toBe(200);
    expect((await fx.fhir('$break-the-glass-review', callers['clinician']!.token)).status).toBe(403);
    await fx.audit.flush();
    const flagged = await fx.audit.search({
      agent: doctor.accountId,
      kind: ['break-the-glass'],
      count: 10,
      offset: 0,
    });
    expect(flagged.total).toBe(2); // the refused declaration (no reason) and the granted one
    expect(JSON.stringify(flagged.events)).toContain('ETREAT');
  });

  it('every call is audited, denied ones too, and the resident sees who looked', async () => {
    const doctor = await fx.userToken({ username: 'auditee', roles: ['clinician'], organization: 'h1' });
    const calls = [
      await fx.fhir(path('oB'), doctor.token), // 200
      await fx.fhir(path('oC'), doctor.token), // 404
      await fx.fhir('Organization', doctor.token, {
        method: 'POST',
        body: '{"resourceType":"Organization"}',
      }), // 403
      await fx.fhir('Observation?code=8867-4', doctor.token), // 200
    ];
    expect(calls.map((r) => r.status)).toEqual([200, 404, 403, 200]);
    await fx.audit.flush();
    const kinds = ['read', 'search', 'create', 'access-denied'];
    const mine = await fx.audit.search({ agent: doctor.accountId, kind: kinds, count: 100, offset: 0 });
    expect(mine.total).toBe(calls.length);
    const logins = await fx.audit.search({ agent: doctor.accountId, kind: ['login'], count: 10, offset: 0 });
    expect(logins.total).toBe(1);
    const outcomes = mine.events.map((e) => e.outcome).sort();
    expect(outcomes).toEqual(['0', '0', '4', '4']);
    const resident = callers['resident']!;
    const res = await fx.fhir('AuditEvent?_count=100', resident.token);
    expect(res.status).toBe(200);
    const events = ((await res.json()) as Bundle).entry ?? [];
    const byAuditee = events.filter((e) => JSON.stringify(e.resource).includes(doctor.accountId));
    expect(byAuditee.length).toBeGreaterThan(0);
    // By id: the resident concerned and the admin of the institution acted for; nobody else.
    const id = byAuditee[0]?.resource?.id ?? '';
    expect((await fx.fhir(`AuditEvent/${id}`, resident.token)).status).toBe(200);
    expect((await fx.fhir(`AuditEvent/${id}`, callers['institution-admin']!.token)).status).toBe(200);
    const otherAdmin = await fx.userToken({
      username: 'h2-admin',
      roles: ['institution-admin'],
      organization: 'h2',
    });
    expect((await fx.fhir(`AuditEvent/${id}`, otherAdmin.token)).status).toBe(404);
    expect((await fx.fhir('AuditEvent', callers['clinician']!.token)).status).toBe(403);
  });

  it('$audit-verify: the operator sees the chain intact; nobody else may run it', async () => {
    await fx.audit.flush();
    // Only events older than the sealing margin (2 s) are sealed: wait for the first to settle.
    await expect
      .poll(async () => (await fx.audit.seal()).events + (await fx.audit.verify()).sealedEvents, {
        timeout: 15_000,
        interval: 500,
      })
      .toBeGreaterThan(0);
    const res = await fx.fhir('$audit-verify', callers['platform-admin']!.token);
    expect(res.status).toBe(200);
    const out = ((await res.json()) as FhirParameters).parameter ?? [];
    const value = (name: string) => out.find((p) => p.name === name);
    expect(value('ok')?.valueBoolean).toBe(true);
    expect(value('sealedEvents')?.valueInteger).toBeGreaterThan(0);
    expect(value('problemCount')?.valueInteger).toBe(0);
    expect(value('head')?.valueString).toMatch(/^\d+:/);
    for (const who of ['institution-admin', 'clinician', 'resident'])
      expect((await fx.fhir('$audit-verify', callers[who]!.token)).status, who).toBe(403);
  });
});
