/**
 * The resident registry over HTTP with the real access policy (issue #5): linking on write through
 * the API, `$match` and `$ihe-pix` limited to what the caller may see, the golden record and
 * `Patient.link`, merge/unmerge and the review queue for the platform operator only.
 */
import type { Bundle, Encounter, OperationOutcome, Parameters, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryFixture, type RegistryFixture, system, user } from './registry-fixture.ts';

const ID = 'https://yiyun.dev/fhir/sid/cn-resident-id';
const NUMBER = '350203198003071231';
let fx: RegistryFixture;

/** Bearer tokens of the test are the principals' names. */
const PRINCIPALS = {
  platform: system('platform'),
  h1: system('h1-his', 'h1'),
  h2: system('h2-his', 'h2'),
  doctor: user('doc', ['clinician'], { organization: 'h1' }),
  admin: user('steward', ['platform-admin']),
};

const zhang = (id: string, org: string, extra: Partial<Patient> = {}): Patient => ({
  resourceType: 'Patient',
  id,
  name: [{ family: '张', given: ['伟'] }],
  gender: 'male',
  birthDate: '1980-03-07',
  managingOrganization: { reference: `Organization/${org}` },
  ...extra,
});

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

beforeAll(async () => {
  fx = await createRegistryFixture(PRINCIPALS);
  for (const org of ['h1', 'h2'])
    expect(await fx.put({ resourceType: 'Organization', id: org }, 'platform')).toBe(201);
  expect(await fx.put(zhang('a', 'h1', { identifier: [{ system: ID, value: NUMBER }] }), 'h1')).toBe(201);
  const b = zhang('b', 'h2', { identifier: [{ system: ID, value: NUMBER }], name: [{ text: 'ZHANG WEI' }] });
  expect(await fx.put(b, 'h2')).toBe(201);
  const c = zhang('c', 'h2', { name: [{ text: '李娜' }], gender: 'female', birthDate: '1991-01-02' });
  expect(await fx.put(c, 'h2')).toBe(201);
  // Doctor at h1 treats a: a care relationship with a's person (b included), none with c.
  const enc: Encounter = {
    resourceType: 'Encounter',
    id: 'enc-a',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: 'Patient/a' },
    serviceProvider: { reference: 'Organization/h1' },
  };
  expect(await fx.put(enc, 'h1')).toBe(201);
});
afterAll(async () => {
  await fx[Symbol.asyncDispose]();
});

const matchBody = (p: Patient) =>
  JSON.stringify({
    resourceType: 'Parameters',
    parameter: [
      { name: 'resource', resource: p },
      { name: 'count', valueInteger: 5 },
    ],
  });

describe('linked on write, served with links', () => {
  it('a write through the API is linked before the response: the records share a golden record', async () => {
    const a = await json<Patient>(await fx.fhir('Patient/a', 'platform'));
    const b = await json<Patient>(await fx.fhir('Patient/b', 'platform'));
    const golden = a.link?.find((l) => l.type === 'refer')?.other?.reference;
    expect(golden).toMatch(/^Patient\//);
    expect(b.link?.find((l) => l.type === 'refer')?.other?.reference).toBe(golden);
    const g = await json<Patient>(await fx.fhir(golden!, 'platform'));
    expect(g.meta?.tag?.[0]?.code).toBe('golden');
    expect(g.link?.map((l) => l.other?.reference).sort()).toEqual(['Patient/a', 'Patient/b']);
    expect(g.identifier?.[0]).toMatchObject({ system: ID, value: NUMBER });
  });
});

describe('$match', () => {
  it('scores candidates with match-grade and evidence, and shows a clinician only what they may see', async () => {
    const query = zhang('q', 'h1', { name: [{ text: '张伟' }] });
    const all = await json<Bundle>(
      await fx.fhir('Patient/$match', 'platform', { method: 'POST', body: matchBody(query) }),
    );
    const ids = all.entry?.map((e) => e.resource?.id);
    expect(ids).toEqual(expect.arrayContaining(['a', 'b']));
    expect(ids).not.toContain('c');
    const top = all.entry?.[0];
    expect(top?.search?.score).toBeGreaterThan(0.5);
    expect(top?.search?.extension?.[0]).toMatchObject({
      url: 'http://hl7.org/fhir/StructureDefinition/match-grade',
    });
    expect(JSON.stringify(top?.search?.extension)).toContain('birthDate');
    const lina = zhang('q', 'h1', { name: [{ text: '李娜' }], gender: 'female', birthDate: '1991-01-02' });
    const asSystem = await json<Bundle>(
      await fx.fhir('Patient/$match', 'platform', { method: 'POST', body: matchBody(lina) }),
    );
    expect(asSystem.entry?.map((e) => e.resource?.id)).toContain('c');
    const asDoctor = await json<Bundle>(
      await fx.fhir('Patient/$match', 'doctor', { method: 'POST', body: matchBody(lina) }),
    );
    expect(asDoctor.total).toBe(0);

    await fx.audit.flush();
    const events = await fx.audit.search({ agent: 'doc', count: 50, offset: 0 });
    const matches = events.events.filter((e) => e.entity?.some((x) => x.description === '$match'));
    expect(matches.length).toBeGreaterThan(0);
  });

  it('rejects a body without a Patient with an OperationOutcome', async () => {
    const res = await fx.fhir('Patient/$match', 'platform', {
      method: 'POST',
      body: JSON.stringify({ resourceType: 'Parameters' }),
    });
    expect(res.status).toBe(400);
    expect((await json<{ resourceType: string }>(res)).resourceType).toBe('OperationOutcome');
  });
});

describe('$ihe-pix', () => {
  it('cross-references the resident ID to the records and golden record of the person', async () => {
    const res = await fx.fhir(
      `Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${ID}|${NUMBER}`)}`,
      'doctor',
    );
    expect(res.status).toBe(200);
    const out = await json<Parameters>(res);
    const refs = out.parameter?.filter((p) => p.name === 'targetId').map((p) => p.valueReference?.reference);
    expect(refs).toEqual(expect.arrayContaining(['Patient/a', 'Patient/b']));
    const unknown = await fx.fhir(
      `Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${ID}|110105194912310021`)}`,
      'doctor',
    );
    expect(unknown.status).toBe(404);
  });
});

describe('stewardship', () => {
  it('merge and unmerge are for the platform operator, and restore both persons', async () => {
    const body = JSON.stringify({
      resourceType: 'Parameters',
      parameter: [
        { name: 'source-patient', valueReference: { reference: 'Patient/c' } },
        { name: 'target-patient', valueReference: { reference: 'Patient/a' } },
      ],
    });
    expect((await fx.fhir('Patient/$merge', 'doctor', { method: 'POST', body })).status).toBe(403);
    const merged = await fx.fhir('Patient/$merge', 'admin', { method: 'POST', body });
    expect(merged.status).toBe(200);
    const a = await json<Patient>(await fx.fhir('Patient/a', 'platform'));
    const c = await json<Patient>(await fx.fhir('Patient/c', 'platform'));
    const golden = a.link?.find((l) => l.type === 'refer')?.other?.reference;
    expect(c.link?.find((l) => l.type === 'refer')?.other?.reference).toBe(golden);
    const cPerson = (
      await fx.registry.queryable.unsafe<{ source_person: string }[]>('select source_person from mpi_merge')
    )[0]!.source_person;
    // The merge is listed for undoing, with the moved record's facts beside the target's own.
    expect((await fx.fhir('$mpi-merges', 'doctor')).status).toBe(403);
    const merges = await json<Parameters>(await fx.fhir('$mpi-merges', 'admin'));
    expect(merges.parameter?.[0]).toMatchObject({ name: 'total', valueInteger: 1 });
    const listed = merges.parameter?.find((p) => p.name === 'merge')?.part ?? [];
    expect(listed.find((p) => p.name === 'source')?.valueReference?.reference).toBe(`Patient/${cPerson}`);
    expect(listed.find((p) => p.name === 'target')?.valueReference?.reference).toBe(golden);
    expect(listed.filter((p) => p.name === 'movedFacts')).toHaveLength(1);
    expect(listed.filter((p) => p.name === 'targetFacts').length).toBeGreaterThanOrEqual(2);
    const undo = JSON.stringify({
      resourceType: 'Parameters',
      parameter: [{ name: 'source-patient', valueReference: { reference: `Patient/${cPerson}` } }],
    });
    const res = await fx.fhir('Patient/$unmerge', 'admin', { method: 'POST', body: undo });
    expect(res.status).toBe(200);
    const after = await json<Patient>(await fx.fhir('Patient/c', 'platform'));
    expect(after.link?.find((l) => l.type === 'refer')?.other?.reference).toBe(`Patient/${cPerson}`);
    const none = await json<Parameters>(await fx.fhir('$mpi-merges', 'admin'));
    expect(none.parameter).toEqual([{ name: 'total', valueInteger: 0 }]);
  });

  it('the review queue is listed and decided by the operator only', async () => {
    expect((await fx.fhir('$mpi-review-queue', 'doctor')).status).toBe(403);
    const res = await fx.fhir('$mpi-review-queue', 'admin');
    expect(res.status).toBe(200);
    expect((await json<Parameters>(res)).parameter?.[0]).toMatchObject({ name: 'total' });
    const bad = await fx.fhir('$mpi-review-decide', 'admin', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'item', valueString: '999' },
          { name: 'decision', valueCode: 'link' },
        ],
      }),
    });
    expect(bad.status).toBe(404);
  });

  it('a string input given as another type is invalid rather than taken as absent', async () => {
    const res = await fx.fhir('$mpi-review-decide', 'admin', {
      method: 'POST',
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'item', valueString: '999' },
          { name: 'decision', valueBoolean: true },
        ],
      }),
    });
    expect(res.status).toBe(400);
    const outcome = await json<OperationOutcome>(res);
    expect(outcome.issue?.[0]?.diagnostics).toBe('Parameter decision must be a string');
  });
});
