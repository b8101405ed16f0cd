/**
 * Access scopes compiled into SQL (issue #4 scope items 4–5): the same suite on PGlite and
 * PostgreSQL. Two hospitals hold records of one resident (same ID number); hospital 1 has a care
 * relationship (an encounter), hospital 2 holds an ordinary and a mental-health record.
 */
import type { Condition, Consent, Encounter, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { AppError, parseSearchRequest, withCustodian } from '@yiyun/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessScope, exportResources, type FhirRepository, type Store } from '../src/index.ts';
import { asQueryable } from '../src/sql/connect.ts';
import { createTestStore, linkPersons } from '../src/testing/index.ts';

let store: Store & AsyncDisposable;
let admin: FhirRepository;
const ids: Record<string, string> = {};
const ID_X = '11010519491231002X';
const ID_Y = '350203199001011234';
const DAY = 86_400_000;

const clinicianAt = (org: string, account = `acct-${org}`): AccessScope => ({
  kind: 'restricted',
  nonPatientData: true,
  custodian: org,
  writeCustodian: org,
  careRelationship: { organization: org, since: new Date(Date.now() - 90 * DAY), defaultShare: true },
  breakGlassAccount: account,
});
const residentOf = (patient: string): AccessScope => ({
  kind: 'restricted',
  nonPatientData: true,
  person: patient,
  personRecords: true,
});

async function put<T extends Resource>(name: string, resource: T, org: string): Promise<string> {
  const { resource: stored } = await admin.create(withCustodian(resource, org));
  ids[name] = stored.id;
  return stored.id;
}

const patient = (number: string, org: string): Patient => ({
  resourceType: 'Patient',
  identifier: [{ system: 'https://yiyun.dev/fhir/sid/cn-resident-id', value: number }],
  managingOrganization: { reference: `Organization/${org}` },
});
const obs = (patientId: string, code = '8867-4'): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: `Patient/${patientId}` },
});

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );
}

function search(repo: FhirRepository, type: string, query: string) {
  return repo.search(parseSearchRequest(type, new URLSearchParams(query), store.registry));
}

beforeAll(async () => {
  store = await createTestStore();
  admin = store.repository();
  await put('h1', { resourceType: 'Organization', name: '市一院' }, 'h1');
  const pA = await put('pA', patient(ID_X, 'h1'), 'h1');
  const pB = await put('pB', patient(ID_X, 'h2'), 'h2');
  const pC = await put('pC', patient(ID_Y, 'h2'), 'h2');
  const end = new Date(Date.now() - 10 * DAY).toISOString();
  await put(
    'eA',
    {
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      subject: { reference: `Patient/${pA}` },
      serviceProvider: { reference: 'Organization/h1' },
      period: { start: end, end },
    } satisfies Encounter,
    'h1',
  );
  await put('oB', obs(pB), 'h2');
  await put(
    'cB',
    {
      resourceType: 'Condition',
      subject: { reference: `Patient/${pB}` },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'F32.9' }] },
    } satisfies Condition,
    'h2',
  );
  await put('oC', obs(pC), 'h2');
  await linkPersons(store, [[pA, pB], [pC]]);
});
afterAll(async () => {
  await store[Symbol.asyncDispose]();
});

describe('a clinician at hospital 1 with a care relationship', () => {
  it('reads the other hospital’s ordinary record of the resident, not the sensitive one or another resident’s', async () => {
    const repo = store.repository(clinicianAt('h1'));
    expect((await repo.read('Observation', ids['oB']!)).id).toBe(ids['oB']);
    expect((await repo.read('Patient', ids['pB']!)).id).toBe(ids['pB']);
    expect(await code(repo.read('Condition', ids['cB']!))).toBe('not-found');
    expect(await code(repo.read('Observation', ids['oC']!))).toBe('not-found');
    expect(
      await code(repo.history({ resourceType: 'Observation', id: ids['oC']!, count: 10, offset: 0 })),
    ).toBe('not-found');
    expect((await repo.read('Organization', ids['h1']!)).id).toBe(ids['h1']);
  });

  it('never counts, includes or chains through what it cannot see', async () => {
    const repo = store.repository(clinicianAt('h1'));
    const all = await search(repo, 'Observation', '_total=accurate');
    expect(all.total).toBe(1);
    expect(all.matches.map((m) => m.id)).toEqual([ids['oB']]);
    const conditions = await search(repo, 'Condition', '_summary=count');
    expect(conditions.total).toBe(0);
    const chained = await search(repo, 'Observation', `subject:Patient.identifier=${ID_Y}`);
    expect(chained.matches).toHaveLength(0);
    const withPatient = await search(repo, 'Observation', '_include=Observation:subject');
    expect(withPatient.included.map((r) => r.id)).toEqual([ids['pB']]);
    const reverse = await search(repo, 'Patient', `_id=${ids['pB']}&_revinclude=Condition:subject`);
    expect(reverse.included).toHaveLength(0);
    const patients = await search(repo, 'Patient', '_has:Observation:subject:code=8867-4');
    expect(patients.matches.map((m) => m.id)).toEqual([ids['pB']]);
  });

  it('exports exactly what it may search', async () => {
    const pages: string[] = [];
    for await (const page of exportResources(asQueryable(store.database.sql), 'Observation', {
      level: 'system',
      access: clinicianAt('h1'),
    }))
      pages.push(...page.map((r) => r.id));
    expect(pages).toEqual([ids['oB']]);
  });

  it('may change only its own institution’s records: 403 for a visible one, 404 for a hidden one', async () => {
    const repo = store.repository(clinicianAt('h1'));
    const visible = (await repo.read('Observation', ids['oB']!)) as Observation;
    expect(await code(repo.update({ ...visible, status: 'amended' }))).toBe('forbidden');
    expect(await code(repo.delete('Observation', ids['oC']!))).toBe('not-found');
    const own = (await repo.read('Encounter', ids['eA']!)) as Encounter;
    expect((await repo.update({ ...own, status: 'finished' })).resource.meta.versionId).toBe('2');
  });
});

describe('without a care relationship', () => {
  it('a clinician at another hospital sees none of the resident’s records, and no totals', async () => {
    const repo = store.repository(clinicianAt('h3'));
    expect(await code(repo.read('Observation', ids['oB']!))).toBe('not-found');
    expect((await search(repo, 'Observation', '_summary=count')).total).toBe(0);
    expect((await search(repo, 'Patient', '_total=accurate')).total).toBe(0);
  });
});

describe('the resident’s consent', () => {
  it('opting out hides the other hospital’s records; permitting PSY shows the sensitive one', async () => {
    const repo = store.repository(clinicianAt('h1'));
    const consent = (type: 'permit' | 'deny', date: string, labels: string[] = []): Consent => ({
      resourceType: 'Consent',
      status: 'active',
      scope: { coding: [{ code: 'patient-privacy' }] },
      category: [{ coding: [{ code: 'INFA' }] }],
      patient: { reference: `Patient/${ids['pB']}` },
      dateTime: date,
      provision: {
        type,
        provision: labels.length ? [{ type: 'permit', securityLabel: labels.map((code) => ({ code })) }] : [],
      },
    });
    await put('deny', consent('deny', '2026-01-01'), 'h2');
    expect(await code(repo.read('Observation', ids['oB']!))).toBe('not-found');
    await put('permit', consent('permit', '2026-02-01', ['PSY']), 'h2');
    expect((await repo.read('Observation', ids['oB']!)).id).toBe(ids['oB']);
    expect((await repo.read('Condition', ids['cB']!)).id).toBe(ids['cB']);
    await admin.delete('Consent', ids['permit']!);
    expect(await code(repo.read('Condition', ids['cB']!))).toBe('not-found');
  });
});

describe('break-the-glass', () => {
  it('opens one resident’s whole record to the declaring account until it expires', async () => {
    const repo = store.repository(clinicianAt('h1', 'dr-wang'));
    expect(await code(repo.read('Observation', ids['oC']!))).toBe('not-found');
    const grant = await store.breakGlass.declare({
      account: 'dr-wang',
      organization: 'h1',
      patientId: ids['pC']!,
      reason: '急诊昏迷，需查既往史',
      minutes: 30,
    });
    expect((await repo.read('Observation', ids['oC']!)).id).toBe(ids['oC']);
    expect(await code(store.repository(clinicianAt('h1', 'dr-li')).read('Observation', ids['oC']!))).toBe(
      'not-found',
    );
    const queue = await store.breakGlass.list({ organization: 'h1', unreviewedOnly: true });
    expect(queue.map((g) => g.id)).toContain(grant.id);
    await store.breakGlass.review(grant.id, { reviewer: 'admin-h1', note: 'justified' });
    expect(await store.breakGlass.list({ organization: 'h1', unreviewedOnly: true })).toHaveLength(0);
    expect(
      await code(store.breakGlass.declare({ account: 'x', patientId: ids['pC']!, reason: '', minutes: 5 })),
    ).toBe('invalid');
  });
});

describe('a resident', () => {
  it('reads every record of their own person across institutions, nothing of others', async () => {
    const repo = store.repository(residentOf(ids['pA']!));
    expect((await repo.read('Condition', ids['cB']!)).id).toBe(ids['cB']);
    expect(await code(repo.read('Observation', ids['oC']!))).toBe('not-found');
    const mine = await search(repo, 'Observation', '_total=accurate');
    expect(mine.matches.map((m) => m.id)).toEqual([ids['oB']]);
  });
});
