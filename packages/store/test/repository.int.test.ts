/**
 * Storage conformance: the same suite runs unchanged on PGlite and on PostgreSQL
 * (scripts/test.ts runs it once per YIYUN_TEST_STORE).
 */
import type { Observation, Patient } from '@medplum/fhirtypes';
import { AppError, parseSearchRequest } from '@yiyun/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirRepository, Store } from '../src/index.ts';
import { createTestStore } from '../src/testing/index.ts';

let store: Store & AsyncDisposable;
let repo: FhirRepository;

beforeAll(async () => {
  store = await createTestStore();
  repo = store.repository();
});
afterAll(async () => {
  await store[Symbol.asyncDispose]();
});

function search(type: string, query: string) {
  return repo.search(parseSearchRequest(type, new URLSearchParams(query), store.registry));
}

const patient = (family: string, given: string, extra: Partial<Patient> = {}): Patient => ({
  resourceType: 'Patient',
  name: [{ family, given: [given] }],
  gender: 'female',
  birthDate: '1980-05-17',
  ...extra,
});

async function expectCode(promise: Promise<unknown>, code: string) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

describe(`repository on ${process.env['YIYUN_TEST_STORE'] ?? 'pglite'}`, () => {
  it('creates, reads and versions a resource', async () => {
    const { resource, created } = await repo.create(patient('张', '伟'));
    expect(created).toBe(true);
    expect(resource.meta.versionId).toBe('1');
    const read = (await repo.read('Patient', resource.id)) as Patient;
    expect(read).toEqual(resource);

    const updated = await repo.update({ ...read, gender: 'male' });
    expect(updated.resource.meta.versionId).toBe('2');
    expect(((await repo.vread('Patient', resource.id, '1')) as Patient).gender).toBe('female');
    expect(((await repo.read('Patient', resource.id)) as Patient).gender).toBe('male');
  });

  it('rejects a stale If-Match and keeps the winner', async () => {
    const resource = (await repo.create(patient('李', '娜'))).resource as Patient;
    await repo.update({ ...resource, gender: 'male' }, { ifMatch: '1' });
    await expectCode(repo.update({ ...resource, gender: 'other' }, { ifMatch: '1' }), 'precondition-failed');
    expect(((await repo.read('Patient', resource.id!)) as Patient).gender).toBe('male');
  });

  it('soft-deletes: read is gone, history keeps every version, update revives', async () => {
    const { resource } = await repo.create(patient('王', '芳'));
    await repo.delete('Patient', resource.id);
    await expectCode(repo.read('Patient', resource.id), 'gone');
    await expectCode(repo.read('Patient', 'no-such-id'), 'not-found');
    const history = await repo.history({ resourceType: 'Patient', id: resource.id, count: 10, offset: 0 });
    expect(history.entries.map((e) => e.method)).toEqual(['DELETE', 'POST']);
    const revived = await repo.update({ ...resource });
    expect(revived.resource.meta.versionId).toBe('3');
    expect(revived.created).toBe(true);
  });

  it('update-as-create keeps the client id', async () => {
    const { resource, created } = await repo.update({ ...patient('刘', '洋'), id: 'client-chosen-1' });
    expect(created).toBe(true);
    expect(resource.id).toBe('client-chosen-1');
    await expectCode(
      repo.update({ ...patient('刘', '洋'), id: 'nope' }, { allowCreate: false }),
      'not-found',
    );
  });

  it('rolls back everything when a transaction fails', async () => {
    const marker = `rollback-${Date.now()}`;
    await expectCode(
      repo.transaction(async (tx) => {
        await tx.create(patient('陈', '静', { identifier: [{ system: 'urn:test', value: marker }] }));
        throw new AppError('invalid', 'boom');
      }),
      'invalid',
    );
    const found = await search('Patient', `identifier=urn:test|${marker}`);
    expect(found.matches).toHaveLength(0);
  });

  it('searches by token, string prefix, date range and reference, with totals', async () => {
    const { resource: p } = await repo.create(
      patient('欧阳', '修', { identifier: [{ system: 'urn:oid:2.16.156', value: '350203198005170011' }] }),
    );
    const obs: Observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: `Patient/${p.id}` },
      effectiveDateTime: '2024-03-01T08:00:00Z',
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    };
    await repo.create(obs);
    expect((await search('Patient', 'identifier=350203198005170011')).matches[0]?.id).toBe(p.id);
    expect((await search('Patient', 'family=欧阳')).matches.map((m) => m.id)).toContain(p.id);
    const byDate = await search(
      'Observation',
      `subject=Patient/${p.id}&date=ge2024-01-01&date=lt2024-04&_total=accurate`,
    );
    expect(byDate.total).toBe(1);
    expect((await search('Observation', `subject=Patient/${p.id}&date=lt2024-01-01`)).matches).toHaveLength(
      0,
    );
    expect((await search('Observation', `subject=Patient/${p.id}&value-quantity=gt70`)).matches).toHaveLength(
      1,
    );
    expect((await search('Observation', `subject=Patient/${p.id}&value-quantity=lt70`)).matches).toHaveLength(
      0,
    );
    const chained = await search('Observation', 'subject:Patient.identifier=350203198005170011');
    expect(chained.matches).toHaveLength(1);
    const withInclude = await search('Observation', `subject=Patient/${p.id}&_include=Observation:subject`);
    expect(withInclude.included.map((r) => r.id)).toEqual([p.id]);
    const reverse = await search('Patient', `_id=${p.id}&_revinclude=Observation:subject`);
    expect(reverse.included).toHaveLength(1);
    const has = await search('Patient', '_has:Observation:subject:code=http://loinc.org|8867-4');
    expect(has.matches.map((m) => m.id)).toContain(p.id);
  });

  it('turns values the database cannot store into invalid input, not internal errors', async () => {
    await expectCode(repo.create(patient('a\u0000b', '伟')), 'invalid');
    await expectCode(search('Patient', 'family=a%00b'), 'invalid');
  });

  it('pages with a stable order', async () => {
    const tag = `page-${Date.now()}`;
    await repo.transaction(async (tx) => {
      for (let i = 0; i < 7; i++) {
        await tx.create(patient('赵', `${i}`, { meta: { tag: [{ system: 'urn:t', code: tag }] } }));
      }
    });
    const first = await search('Patient', `_tag=urn:t|${tag}&_count=5&_total=accurate`);
    const second = await search('Patient', `_tag=urn:t|${tag}&_count=5&_offset=5`);
    expect(first.total).toBe(7);
    expect(first.hasMore).toBe(true);
    expect(second.hasMore).toBe(false);
    const ids = [...first.matches, ...second.matches].map((m) => m.id);
    expect(new Set(ids).size).toBe(7);
  });
});
