import type { Patient } from '@medplum/fhirtypes';
import { withCustodian } from '@yiyun/fhir';
import { openStore } from '@yiyun/store';
import { createTestDatabase, createTestStore, testStoreKind } from '@yiyun/store/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptReview,
  goldenPatient,
  linkHistory,
  listReviews,
  membersOf,
  mergePersons,
  personOf,
  ResidentRegistry,
  rejectReview,
  unmergePerson,
} from '../src/index.ts';

const ID = 'https://yiyun.dev/fhir/sid/cn-resident-id';
type TestStore = Awaited<ReturnType<typeof createTestStore>>;
let store: TestStore;
let registry: ResidentRegistry;

function patient(id: string, fields: Partial<Patient>, org = 'h1'): Patient {
  return withCustodian({ resourceType: 'Patient', id, ...fields }, org) as Patient;
}
const zhang = (id: string, org: string, extra: Partial<Patient> = {}) =>
  patient(
    id,
    { name: [{ family: '张', given: ['伟'] }], gender: 'male', birthDate: '1980-03-07', ...extra },
    org,
  );

async function put(...patients: Patient[]): Promise<void> {
  const repo = store.repository();
  for (const p of patients) await repo.update(p);
}

async function goldens(personIds: readonly string[]): Promise<Patient[]> {
  const out: Patient[] = [];
  for (const person of personIds) {
    const records: Patient[] = [];
    for (const id of await membersOf(registry.queryable, person))
      records.push((await store.repository().read('Patient', id)) as Patient);
    out.push(goldenPatient(person, records, '2026-01-01T00:00:00Z'));
  }
  return out;
}

beforeEach(async () => {
  store = await createTestStore();
  registry = await ResidentRegistry.open({ database: store.database });
});
afterEach(async () => {
  await store[Symbol.asyncDispose]();
});

describe('linking on every write', () => {
  it('links the same resident at three institutions, keeps a different one apart, and records why', async () => {
    await put(
      zhang('a', 'h1', { identifier: [{ system: ID, value: '350203198003071231' }] }),
      zhang('b', 'h2', {
        name: [{ family: '張', given: ['偉'] }],
        identifier: [{ system: ID, value: '350203198003071231' }],
      }),
      zhang('c', 'h3', {
        name: [{ text: 'ZHANG WEI' }],
        telecom: [{ system: 'phone', value: '13950001234' }],
      }),
      zhang('d', 'h1', {
        birthDate: '1975-11-20',
        identifier: [{ system: ID, value: '350203197511201237' }],
      }),
    );
    await put(
      zhang('c', 'h3', {
        name: [{ text: 'ZHANG WEI' }],
        identifier: [{ system: ID, value: '350203198003071231' }],
      }),
    );
    const report = await registry.drain();
    expect(report.linked).toBeGreaterThanOrEqual(4);
    const person = await personOf(registry.queryable, 'a');
    expect(await personOf(registry.queryable, 'b')).toBe(person);
    expect(await personOf(registry.queryable, 'c')).toBe(person);
    expect(await personOf(registry.queryable, 'd')).not.toBe(person);
    const history = await linkHistory(registry.queryable, { patientId: 'b' });
    expect(history[0], JSON.stringify(history)).toMatchObject({
      action: 'link',
      kind: 'certain',
      personId: person,
    });
  });

  it('never loses a change: writes queued before the registry opened are linked by the next drain', async () => {
    await put(zhang('a', 'h1'), zhang('b', 'h2', { telecom: [{ system: 'phone', value: '13950001234' }] }));
    const queued = await store.database.sql`select count(*)::int as n from resource_change`;
    expect(queued[0]?.['n']).toBe(2);
    await registry.drain();
    expect(await store.database.sql`select count(*)::int as n from resource_change`).toEqual([{ n: 0 }]);
    expect(await personOf(registry.queryable, 'a')).toBeTruthy();
  });

  it('unlinks a deleted record and keeps the person of the others', async () => {
    const idn = { identifier: [{ system: ID, value: '350203198003071231' }] };
    await put(zhang('a', 'h1', idn), zhang('b', 'h2', idn));
    await registry.drain();
    await store.repository().delete('Patient', 'b');
    await registry.drain();
    expect(await personOf(registry.queryable, 'b')).toBeNull();
    expect(await membersOf(registry.queryable, (await personOf(registry.queryable, 'a'))!)).toEqual(['a']);
  });

  it('flags bad data and never auto-links on it alone', async () => {
    // Same invalid ID number, nothing else in common: not the same person.
    await put(
      patient('a', {
        name: [{ text: '王芳' }],
        identifier: [{ system: ID, value: '110105194912310021' }],
        birthDate: '1990-01-01',
      }),
      patient(
        'b',
        {
          name: [{ text: '陈静' }],
          identifier: [{ system: ID, value: '110105194912310021' }],
          birthDate: '1962-05-05',
        },
        'h2',
      ),
      patient('c', { name: [{ text: ' ' }], birthDate: '2031-02-30' as string }, 'h2'),
    );
    await registry.drain();
    expect(await personOf(registry.queryable, 'a')).not.toBe(await personOf(registry.queryable, 'b'));
    const flags = await store.database.sql`select patient_id, flags from mpi_record order by patient_id`;
    expect(flags.map((r) => r['flags'])).toEqual([
      ['id-invalid'],
      ['id-invalid'],
      ['name-missing', 'birth-date-impossible'],
    ]);
  });
});

describe('concurrent registration', () => {
  it('two replicas registering the same new person at once make one person', async () => {
    // On PostgreSQL: two server processes' pools and registries on one database. PGlite has one
    // session, so there the two registries share it (the lock is still taken per batch).
    await using db = testStoreKind() === 'postgres' ? await createTestDatabase() : undefined;
    const first = db ? await openStore({ databaseUrl: db.url, maxConnections: 4 }) : store;
    const second = db ? await openStore({ databaseUrl: db.url, maxConnections: 4 }) : store;
    try {
      const one = await ResidentRegistry.open({ database: first.database });
      const two = await ResidentRegistry.open({ database: second.database });
      const idn = { identifier: [{ system: ID, value: '350203198003071231' }] };
      await Promise.all([
        first
          .repository()
          .update(zhang('x1', 'h1', idn))
          .then(() => one.drain()),
        second
          .repository()
          .update(zhang('x2', 'h2', idn))
          .then(() => two.drain()),
      ]);
      await one.drain();
      expect(await personOf(one.queryable, 'x1')).toBe(await personOf(one.queryable, 'x2'));
      const persons = await first.database
        .sql`select count(*)::int as n from mpi_person where status = 'active'`;
      expect(persons[0]?.['n']).toBe(1);
    } finally {
      if (db) {
        await first.close();
        await second.close();
      }
    }
  });
});

describe('merge and unmerge', () => {
  it('a wrong merge is undone with both persons exactly as before, and not re-merged', async () => {
    const phone = { telecom: [{ system: 'phone' as const, value: '13950001234' }] };
    await put(
      zhang('a', 'h1', phone),
      zhang('a2', 'h2', phone),
      patient('b', { name: [{ text: '李娜' }], gender: 'female', birthDate: '1990-06-01' }, 'h2'),
    );
    await registry.drain();
    const pa = (await personOf(registry.queryable, 'a'))!;
    const pb = (await personOf(registry.queryable, 'b'))!;
    expect(await membersOf(registry.queryable, pa)).toEqual(['a', 'a2']);
    const before = await goldens([pa, pb]);
    await mergePersons(store.database, pb, pa, 'operator');
    expect(await membersOf(registry.queryable, pa)).toEqual(['a', 'a2', 'b']);
    const { restored } = await unmergePerson(store.database, pb, 'operator');
    expect(restored).toEqual(['b']);
    expect(await goldens([pa, pb])).toEqual(before);
    // An update of b re-matches it, but the operator's decision stands.
    await put(
      patient(
        'b',
        { name: [{ text: '李娜' }], gender: 'female', birthDate: '1990-06-01', active: true },
        'h2',
      ),
    );
    await registry.drain();
    expect(await personOf(registry.queryable, 'b')).toBe(pb);
    const events = await linkHistory(registry.queryable, { patientId: 'b' });
    expect(events.map((e) => e.action)).toEqual(['link', 'merge', 'unmerge']);
  });
});

describe('review queue', () => {
  it('queues a possible match with its evidence; reject remembers, accept merges', async () => {
    // Same name and birth date, no identifiers, different addresses: possible, not certain.
    const base = { name: [{ text: '陈建华' }], gender: 'male' as const, birthDate: '1971-08-09' };
    await put(patient('r1', base, 'h1'), patient('r2', { ...base, name: [{ text: '陈建化' }] }, 'h2'));
    await registry.drain();
    const { items } = await listReviews(registry.queryable);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ patientId: 'r2', candidatePatientId: 'r1' });
    expect(JSON.stringify(items[0]?.evidence)).toContain('birthDate');
    await rejectReview(store.database, items[0]!.id, 'operator');
    await put(patient('r2', { ...base, name: [{ text: '陈建化' }], active: true }, 'h2'));
    await registry.drain();
    expect((await listReviews(registry.queryable)).items).toHaveLength(0);
    await put(patient('r3', { ...base, name: [{ text: '陈建画' }] }, 'h3'));
    await registry.drain();
    const next = (await listReviews(registry.queryable)).items[0]!;
    const { person } = await acceptReview(store.database, next.id, 'operator');
    expect(await personOf(registry.queryable, 'r3')).toBe(person);
  });
});
