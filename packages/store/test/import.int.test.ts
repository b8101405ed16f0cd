import { AppError, parseSearchRequest } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { importNdjson } from '../src/bulk/import-ndjson.ts';
import { createTestStore } from '../src/testing/index.ts';

async function* lines(items: string[]) {
  yield* items;
}

function validate(value: unknown) {
  const r = value as { resourceType?: unknown; gender?: unknown };
  if (typeof r.resourceType !== 'string') throw new AppError('invalid', 'resourceType missing');
  if (r.gender !== undefined && !['male', 'female', 'other', 'unknown'].includes(String(r.gender))) {
    throw new AppError('invalid', 'bad gender');
  }
}

describe('bulk NDJSON import', () => {
  it('imports valid lines in batches, reports bad ones with their line, and indexes everything', async () => {
    await using store = await createTestStore();
    const patients = Array.from({ length: 25 }, (_, i) =>
      JSON.stringify({
        resourceType: 'Patient',
        id: `imp-${i}`,
        name: [{ family: '林', given: [`${i}`], text: 'tab\there "quoted" \\ back' }],
        gender: i % 2 ? 'male' : 'female',
      }),
    );
    const source = [
      ...patients.slice(0, 10),
      '{not json',
      JSON.stringify({ resourceType: 'Patient', gender: 'fem' }),
      '',
      ...patients.slice(10),
    ];
    const progress: number[] = [];
    const report = await importNdjson([{ name: 'Patient.ndjson', lines: lines(source) }], {
      database: store.database,
      registry: store.registry,
      validate,
      batchSize: 10,
      onProgress: (p) => {
        progress.push(p.created);
      },
    });
    expect(report.created).toBe(25);
    expect(report.failed).toBe(2);
    expect(report.issues.map((i) => i.line)).toEqual([11, 12]);
    expect(progress.at(-1)).toBe(25);
    const repo = store.repository();
    const read = await repo.read('Patient', 'imp-3');
    expect(read.meta.versionId).toBe('1');
    expect((read as { name: { text: string }[] }).name[0]?.text).toBe('tab\there "quoted" \\ back');
    const found = await repo.search(
      parseSearchRequest(
        'Patient',
        new URLSearchParams('family=林&gender=male&_total=accurate'),
        store.registry,
      ),
    );
    expect(found.total).toBe(12);

    // With worker threads (PostgreSQL; PGlite falls back to one thread): same result, in order.
    const parallel = await importNdjson(
      [{ name: 'parallel', lines: lines(source.map((l) => l.replace(/imp-/g, 'par-'))) }],
      {
        database: store.database,
        registry: store.registry,
        validate,
        batchSize: 7,
        workers: 2,
      },
    );
    expect(parallel.created).toBe(25);
    expect(parallel.failed).toBe(2);
    expect(parallel.issues.map((i) => i.line)).toEqual([11, 12]);
    const par = await repo.search(
      parseSearchRequest('Patient', new URLSearchParams('_id=par-0,par-24&family=林'), store.registry),
    );
    expect(par.matches).toHaveLength(2);

    // Importing the same ids again updates them (new versions), never duplicates.
    const again = await importNdjson([{ name: 'again', lines: lines(patients.slice(0, 5)) }], {
      database: store.database,
      registry: store.registry,
      validate,
    });
    expect(again.updated).toBe(5);
    expect((await repo.read('Patient', 'imp-0')).meta.versionId).toBe('2');
  });
});
