/**
 * `Patient/$find-resident` (issue #7): the search box. One regional person per result, found by
 * name in characters or pinyin, by resident ID or health card number, by phone; only persons the
 * caller may see a record of, composed from those records, with the institutions holding them.
 */
import type { Bundle, Encounter, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_HOLDER } from '../../src/operations/registry/find-resident.ts';
import { createRegistryFixture, type RegistryFixture, system, user } from './registry-fixture.ts';

const ID = 'https://yiyun.dev/fhir/sid/cn-resident-id';
const NUMBER = '350203198003071231';
let fx: RegistryFixture;

const PRINCIPALS = {
  platform: system('platform'),
  h1: system('h1-his', 'h1'),
  h2: system('h2-his', 'h2'),
  doctor: user('doc', ['clinician'], { organization: 'h1' }),
  stranger: user('doc3', ['clinician'], { organization: 'h3' }),
};

const patient = (id: string, org: string, extra: Partial<Patient>): Patient => ({
  resourceType: 'Patient',
  id,
  gender: 'male',
  birthDate: '1980-03-07',
  managingOrganization: { reference: `Organization/${org}` },
  ...extra,
});

beforeAll(async () => {
  fx = await createRegistryFixture(PRINCIPALS);
  for (const [id, name] of [
    ['h1', '厦门市第一医院'],
    ['h2', '思明区社区卫生服务中心'],
    ['h3', '同安区医院'],
  ] as const)
    expect(await fx.put({ resourceType: 'Organization', id, name }, 'platform')).toBe(201);
  const ids = [{ system: ID, value: NUMBER }];
  expect(
    await fx.put(patient('a', 'h1', { name: [{ family: '张', given: ['伟'] }], identifier: ids }), 'h1'),
  ).toBe(201);
  const b = patient('b', 'h2', {
    name: [{ family: '张', given: ['伟'] }],
    identifier: ids,
    telecom: [{ system: 'phone', value: '139 1234 5678' }],
  });
  expect(await fx.put(b, 'h2')).toBe(201);
  // Same pinyin, other characters, other person.
  const c = patient('c', 'h2', {
    name: [{ family: '章', given: ['薇'] }],
    gender: 'female',
    birthDate: '1992-05-01',
  });
  expect(await fx.put(c, 'h2')).toBe(201);
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

async function find(q: string, token: string): Promise<Patient[]> {
  const res = await fx.fhir(`Patient/$find-resident?q=${encodeURIComponent(q)}`, token);
  expect(res.status).toBe(200);
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as Patient);
}

const holders = (p: Patient) =>
  (p.extension ?? [])
    .filter((e) => e.url === RECORD_HOLDER)
    .map((e) => e.valueReference?.display)
    .sort();

describe('Patient/$find-resident', () => {
  it('finds a person once by characters, by pinyin in either order, by ID number and by phone', async () => {
    const person = await fx.personOf('a');
    for (const q of ['张伟', 'zhang wei', 'Wei Zhang', NUMBER, '13912345678', '+86 139-1234-5678']) {
      const found = await find(q, 'doctor');
      expect(
        found.map((p) => p.id),
        q,
      ).toEqual([person]);
      expect(holders(found[0]!)).toEqual(['厦门市第一医院', '思明区社区卫生服务中心']);
      expect(found[0]!.identifier?.[0]?.value).toBe(NUMBER);
    }
  });

  it('characters are stricter than pinyin: 张伟 is not 章薇, zhangwei is both', async () => {
    const viaPinyin = await find('zhangwei', 'platform');
    expect(viaPinyin).toHaveLength(2);
    expect((await find('章薇', 'platform')).map((p) => p.name?.[0]?.family)).toEqual(['章']);
  });

  it('shows nothing of a person the caller may not see: not the person, not a count', async () => {
    const res = await fx.fhir(`Patient/$find-resident?q=${NUMBER}`, 'stranger');
    const bundle = (await res.json()) as Bundle;
    expect(bundle.total).toBe(0);
    expect(bundle.entry ?? []).toEqual([]);
    expect(JSON.stringify(bundle)).not.toContain('张');
  });

  it('refuses an empty, one-letter or overlong query with an OperationOutcome', async () => {
    for (const q of ['', 'z', 'x'.repeat(101)]) {
      const res = await fx.fhir(`Patient/$find-resident?q=${encodeURIComponent(q)}`, 'doctor');
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
    }
    const res = await fx.fhir('Patient/$find-resident?q=zhang&count=500', 'doctor');
    expect(res.status).toBe(400);
  });
});
