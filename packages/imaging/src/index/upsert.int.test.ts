/**
 * The one-statement index upsert (./upsert-sql.ts) on its own: what it refuses leaves nothing
 * behind, re-sends and replacements, and counts under concurrent stores of one study.
 */
import { createHash } from 'node:crypto';
import { migrateModule, openStore, type Store } from '@yiyun/store';
import { createTestDatabase, createTestStore, testStoreKind } from '@yiyun/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePart10 } from '../dicom/parse.ts';
import { type Attributes, part10 } from '../service/test-support.ts';
import { IMAGING_MIGRATIONS } from './migrations.ts';
import { indexRecord } from './record.ts';
import { type UpsertInput, upsertInstance } from './upsert.ts';

let store: Store & AsyncDisposable;

beforeAll(async () => {
  store = await createTestStore({ registryPollMs: 0 });
  await migrateModule(store.database.sql, 'imaging-index', IMAGING_MIGRATIONS);
});
afterAll(() => store[Symbol.asyncDispose]());

/** A migrated index on a fresh PostgreSQL database, dropped on dispose. */
async function postgresStore(): Promise<{ database: Store['database'] } & AsyncDisposable> {
  const db = await createTestDatabase();
  const pg = await openStore({ databaseUrl: db.url, maxConnections: 4, registryPollMs: 0 });
  await migrateModule(pg.database.sql, 'imaging-index', IMAGING_MIGRATIONS);
  return Object.assign(pg, {
    async [Symbol.asyncDispose]() {
      await pg.close();
      await db[Symbol.asyncDispose]();
    },
  });
}

async function input(
  uids: { study: string; series: string; sop: string },
  extra: Attributes & { custodian?: string } = {},
): Promise<UpsertInput> {
  const { custodian = 'h1', ...attributes } = extra;
  const bytes = await part10({
    StudyInstanceUID: uids.study,
    SeriesInstanceUID: uids.series,
    SOPInstanceUID: uids.sop,
    ...attributes,
  });
  const digest = createHash('sha256').update(bytes).digest();
  return {
    record: indexRecord(parsePart10(bytes)),
    custodian,
    patientId: 'Patient/p1',
    object: { blobKey: `${uids.sop}.${digest.subarray(0, 4).toString('hex')}`, size: bytes.length, digest },
  };
}

async function counts(study: string, sql: Store['database']['sql'] = store.database.sql) {
  const [s] = await sql<
    { num_series: number; num_instances: number; modalities: string[]; version: number }[]
  >`
    select num_series, num_instances, modalities, version from imaging_study where study_uid = ${study}`;
  const series = await sql<{ series_uid: string; num_instances: number }[]>`
    select series_uid, num_instances from imaging_series where study_uid = ${study} order by series_uid`;
  const [i] = await sql<
    { n: string }[]
  >`select count(*) as n from imaging_instance where study_uid = ${study}`;
  return { study: s, series, instances: Number(i?.n ?? 0) };
}

describe('upsertInstance', () => {
  it('creates study and series, then adds to them; a re-send is a duplicate; new bytes replace', async () => {
    const a = await input({ study: '2.25.10', series: '2.25.10.1', sop: '2.25.10.1.1' });
    const first = await upsertInstance(store.database.sql, a);
    expect(first).toMatchObject({ kind: 'stored', studyCreated: true, seriesCreated: true });
    const b = await input({ study: '2.25.10', series: '2.25.10.2', sop: '2.25.10.2.1' }, { Modality: 'MR' });
    expect(await upsertInstance(store.database.sql, b)).toMatchObject({
      kind: 'stored',
      studyCreated: false,
      seriesCreated: true,
    });
    expect(await upsertInstance(store.database.sql, a)).toMatchObject({ kind: 'duplicate' });
    const corrected = await input(
      { study: '2.25.10', series: '2.25.10.1', sop: '2.25.10.1.1' },
      { ImageComments: 'corrected' },
    );
    const replaced = await upsertInstance(store.database.sql, corrected);
    expect(replaced).toMatchObject({
      kind: 'stored',
      seriesCreated: false,
      replacedBlobKey: a.object.blobKey,
    });
    const c = await counts('2.25.10');
    expect(c.study).toMatchObject({ num_series: 2, num_instances: 2, modalities: ['CT', 'MR'] });
    expect(c.series.map((s) => s.num_instances)).toEqual([1, 1]);
    expect(c.instances).toBe(2);
  });

  it('refuses a series of another study, another institution and another Patient ID, writing nothing', async () => {
    await upsertInstance(
      store.database.sql,
      await input({ study: '2.25.20', series: '2.25.20.1', sop: '2.25.20.1.1' }),
    );
    const before = await counts('2.25.20');
    const refusals = [
      // The series exists under study 2.25.20: a new study may not claim it (nor be created by it).
      input({ study: '2.25.21', series: '2.25.20.1', sop: '2.25.21.1.1' }),
      input({ study: '2.25.20', series: '2.25.20.2', sop: '2.25.20.2.1' }, { custodian: 'h2' }),
      input({ study: '2.25.20', series: '2.25.20.3', sop: '2.25.20.3.1' }, { PatientID: 'MRN-9' }),
      // An instance may not move to another series.
      input({ study: '2.25.20', series: '2.25.20.4', sop: '2.25.20.1.1' }),
    ];
    for (const refused of refusals)
      await expect(upsertInstance(store.database.sql, await refused)).rejects.toMatchObject({
        code: 'conflict',
      });
    expect(await counts('2.25.20')).toEqual(before);
    expect((await counts('2.25.21')).study).toBeUndefined();
  });

  it('counts every instance once under concurrent stores, also of one SOP Instance', async () => {
    const inputs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        input({ study: '2.25.30', series: `2.25.30.${i % 3}`, sop: `2.25.30.${i % 3}.${i}` }),
      ),
    );
    const again = await input({ study: '2.25.30', series: '2.25.30.0', sop: '2.25.30.0.0' });
    const results = await Promise.all(
      [...inputs, again, again].map((i) => upsertInstance(store.database.sql, i)),
    );
    expect(results.filter((r) => r.kind === 'stored' && r.studyCreated)).toHaveLength(1);
    const c = await counts('2.25.30');
    expect(c.study).toMatchObject({ num_series: 3, num_instances: 12 });
    expect(c.series.map((s) => s.num_instances)).toEqual([4, 4, 4]);
    expect(c.instances).toBe(12);
  });

  // The interleaving needs two sessions; PGlite has one (its statements run one after another), so
  // on the PGlite pass this test runs on a fresh database of the PostgreSQL server.
  it('a store that loses the race for a new SOP Instance starts again and sees the winner', async () => {
    await using server = testStoreKind() === 'postgres' ? undefined : await postgresStore();
    {
      const sql = (server ?? store).database.sql;
      const seed = await input({ study: '2.25.40', series: '2.25.40.1', sop: '2.25.40.1.1' });
      await upsertInstance(sql, seed);
      const racer = await input({ study: '2.25.40', series: '2.25.40.1', sop: '2.25.40.1.2' });
      // Hold the series row: both stores insert the instance row, then wait here, one behind the other.
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      const holder = sql.begin(async (tx) => {
        await tx`select 1 from imaging_series where series_uid = '2.25.40.1' for update`;
        locked();
        await held;
      });
      await isLocked;
      const first = upsertInstance(sql, racer);
      await new Promise((r) => setTimeout(r, 100));
      const second = upsertInstance(sql, racer);
      await new Promise((r) => setTimeout(r, 100));
      release();
      await holder;
      const kinds = (await Promise.all([first, second])).map((r) => r.kind).sort();
      expect(kinds).toEqual(['duplicate', 'stored']);
      expect((await counts('2.25.40', sql)).study).toMatchObject({ num_instances: 2 });
    }
  });
});
