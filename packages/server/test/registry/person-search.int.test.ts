/**
 * Search by golden person across institutions (issue #5): a reference to the person's golden
 * record stands for each institution's own record of that resident, and access rules still apply.
 */
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AccessFixture, createAccessFixture } from '../access/access-fixture.ts';

const ID = 'https://yiyun.dev/fhir/sid/cn-resident-id';
let fx: AccessFixture;
let system: string;
let h1: string;
let person: string;

const patient = (id: string, org: string): Patient => ({
  resourceType: 'Patient',
  id,
  identifier: [{ system: ID, value: '350203198003071231' }],
  name: [{ family: '张', given: ['伟'] }],
  gender: 'male',
  birthDate: '1980-03-07',
  managingOrganization: { reference: `Organization/${org}` },
});

const glucose = (id: string, subject: string): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
  subject: { reference: `Patient/${subject}` },
  valueQuantity: { value: 6.1, unit: 'mmol/L' },
});

async function ids(path: string, token: string): Promise<string[]> {
  const res = await fx.fhir(path, token);
  expect(res.status).toBe(200);
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource?.id ?? '').sort();
}

beforeAll(async () => {
  fx = await createAccessFixture();
  system = await fx.systemToken('platform');
  h1 = await fx.systemToken('h1-his', { organization: 'h1' });
  const h2 = await fx.systemToken('h2-his', { organization: 'h2' });
  const put = async (
    r: Patient | Observation | { resourceType: 'Organization'; id: string },
    token: string,
  ) =>
    expect(
      (await fx.fhir(`${r.resourceType}/${r.id}`, token, { method: 'PUT', body: JSON.stringify(r) })).status,
    ).toBeLessThan(300);
  await put({ resourceType: 'Organization', id: 'h1' }, system);
  await put({ resourceType: 'Organization', id: 'h2' }, system);
  await put(patient('a', 'h1'), h1);
  await put(patient('b', 'h2'), h2);
  await put(glucose('obs-a', 'a'), h1);
  await put(glucose('obs-b', 'b'), h2);
  const read = (await (await fx.fhir('Patient/a', system)).json()) as Patient;
  const refer = read.link?.find((l) => l.type === 'refer')?.other?.reference ?? '';
  person = refer.replace('Patient/', '');
  expect(person).not.toBe('');
});
afterAll(async () => {
  await fx[Symbol.asyncDispose]();
});

it("finds every institution's results by the golden record", async () => {
  expect(await ids(`Observation?patient=Patient/${person}`, system)).toEqual(['obs-a', 'obs-b']);
  expect(await ids(`Observation?subject=${person}`, system)).toEqual(['obs-a', 'obs-b']);
  expect(await ids(`Observation?patient=a`, system)).toEqual(['obs-a']);
});

it("lists a person's records by Patient.link", async () => {
  expect(await ids(`Patient?link=Patient/${person}`, system)).toEqual(['a', 'b']);
});

it('still applies access rules to each record', async () => {
  expect(await ids(`Observation?patient=Patient/${person}`, h1)).toEqual(['obs-a']);
});

it("a person's $everything is every institution's compartment, as far as the caller may see", async () => {
  const everything = async (token: string) => {
    const res = await fx.fhir(`Patient/${person}/$everything`, token);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Bundle;
    return (bundle.entry ?? [])
      .filter((e) => e.search?.mode === 'match')
      .map((e) => `${e.resource?.resourceType}/${e.resource?.id}`)
      .sort();
  };
  expect(await everything(system)).toEqual([
    'Observation/obs-a',
    'Observation/obs-b',
    'Patient/a',
    'Patient/b',
  ]);
  expect(await everything(h1)).toEqual(['Observation/obs-a', 'Patient/a']);
  expect(await ids(`Patient/a/$everything`, system)).toEqual(['a', 'h1', 'obs-a']);
});
