import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandShares, CENSUS_2020_BANDS } from './data/age-pyramid.ts';
import { TOP_SURNAMES } from './data/surnames.ts';
import { isValidResidentId } from './ids/resident-id.ts';
import { collectReferences, type GeneratedRun, generateInTemp } from './test-support.ts';

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out.set(prefix + e.name, readFileSync(join(d, e.name), 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}

describe('determinism', () => {
  it('gives byte-identical output for one seed and a different city for another', async () => {
    using a = await generateInTemp({ seed: 'same', residents: 200 });
    using b = await generateInTemp({ seed: 'same', residents: 200 });
    using c = await generateInTemp({ seed: 'other', residents: 200 });
    const fa = filesOf(a.dir);
    expect(fa.size).toBeGreaterThan(10);
    expect(filesOf(b.dir)).toEqual(fa);
    expect(filesOf(c.dir).get('Patient.ndjson')).not.toEqual(fa.get('Patient.ndjson'));
  }, 60_000);
});

describe('a 5,000-resident region', () => {
  let run: GeneratedRun;
  const asOf = Date.parse('2026-06-30T00:00:00Z');
  const all = (type: string) => run.byType.get(type) ?? [];
  const primaries = () => all('Patient').filter((p) => !String(p['id']).includes('-d'));
  const ageOf = (p: Record<string, unknown>) =>
    Math.floor((asOf - Date.parse(`${String(p['birthDate'])}T00:00:00Z`)) / (365.2425 * 86_400_000));

  beforeAll(async () => {
    run = await generateInTemp({ seed: 'distributions', residents: 5000 });
  }, 120_000);
  afterAll(() => run[Symbol.dispose]());

  it('follows the census age pyramid and sex ratio', () => {
    const people = primaries();
    expect(people).toHaveLength(5000);
    const shares = bandShares();
    CENSUS_2020_BANDS.forEach((band, i) => {
      const n = people.filter((p) => ageOf(p) >= band.from && ageOf(p) <= band.to).length;
      expect(Math.abs(n / people.length - (shares[i] ?? 0)), `band ${band.from}-${band.to}`).toBeLessThan(
        0.015,
      );
    });
    const male = people.filter((p) => p['gender'] === 'male').length / people.length;
    expect(male).toBeGreaterThan(0.49);
    expect(male).toBeLessThan(0.535);
  });

  it('has hypertension in about 27.5 % of adults', () => {
    const adults = new Set(
      primaries()
        .filter((p) => ageOf(p) >= 18)
        .map((p) => `Patient/${String(p['id'])}`),
    );
    const hypertensive = new Set(
      all('Condition')
        .filter((c) => JSON.stringify(c['code']).includes('"I10"'))
        .map((c) => (c['subject'] as { reference: string }).reference)
        .filter((r) => adults.has(r)),
    );
    const rate = hypertensive.size / adults.size;
    expect(rate).toBeGreaterThan(0.24);
    expect(rate).toBeLessThan(0.31);
  });

  it('draws surnames at their national frequencies', () => {
    const people = primaries();
    for (const [surname, pct] of TOP_SURNAMES.slice(0, 3)) {
      const share =
        people.filter((p) => (p['name'] as { family: string }[])[0]?.family === surname).length /
        people.length;
      expect(Math.abs(share * 100 - pct), surname).toBeLessThan(1.8);
    }
  });

  it('writes valid, unique resident IDs and FHIR ids', () => {
    // Foreign residents hold passports instead (see the next test).
    const citizens = primaries().filter((p) => p['extension'] === undefined);
    expect(citizens.length).toBeGreaterThan(4800);
    const ids = citizens.map(
      (p) =>
        (p['identifier'] as { system: string; value: string }[]).find((i) =>
          i.system.endsWith('cn-resident-id'),
        )?.value ?? '',
    );
    expect(ids.every(isValidResidentId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [type, resources] of run.byType) {
      const rid = resources.map((r) => String(r['id']));
      expect(
        rid.every((id) => /^[A-Za-z0-9\-.]{1,64}$/.test(id)),
        type,
      ).toBe(true);
      expect(new Set(rid).size, type).toBe(rid.length);
    }
  });

  it('registers about 1 % of households as foreigners with passports and Latin names', () => {
    const persons = run.readNdjson('ground-truth/persons.ndjson');
    const foreign = persons.filter((p) => typeof p['nationality'] === 'string');
    const households = new Set(
      foreign.filter((p) => p['primary'] === true).map((p) => String(p['person']).split('-')[1]),
    );
    const share = households.size / run.summary.households;
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.016);
    const ids = new Set(foreign.map((p) => p['patient']));
    const patients = all('Patient').filter((p) => ids.has(p['id']));
    expect(patients.length).toBe(foreign.length);
    for (const p of patients) {
      const name = (p['name'] as { family: string; given: string[] }[])[0];
      expect(`${name?.family} ${name?.given.join(' ')}`).toMatch(/^[\p{Script=Latin} '.-]+$/u);
      expect((p['name'] as unknown[]).length).toBe(1);
      const systems = (p['identifier'] as { system: string }[]).map((i) => i.system);
      expect(systems.some((s) => s.endsWith('cn-resident-id'))).toBe(false);
    }
    // Their care runs like everyone's: encounters reference their records.
    const refs = new Set(all('Encounter').map((e) => (e['subject'] as { reference: string }).reference));
    expect(patients.some((p) => refs.has(`Patient/${String(p['id'])}`))).toBe(true);
  });

  it('resolves every reference within the output', () => {
    const known = new Set<string>();
    for (const [type, resources] of run.byType)
      for (const r of resources) known.add(`${type}/${String(r['id'])}`);
    const dangling = [...run.byType.values()]
      .flat()
      .flatMap((r) => collectReferences(r))
      .filter((ref) => !known.has(ref));
    expect(dangling).toEqual([]);
  });

  it('writes ground truth that matches the data', () => {
    const patients = new Set(all('Patient').map((p) => String(p['id'])));
    const persons = run.readNdjson('ground-truth/persons.ndjson');
    expect(new Set(persons.map((p) => String(p['patient'])))).toEqual(patients);
    const duplicates = persons.filter((p) => p['primary'] === false);
    expect(duplicates.length).toBe(run.summary.duplicatePatients);
    expect(duplicates.length).toBeGreaterThan(100);
    const primaryOf = new Map(
      persons.filter((p) => p['primary'] === true).map((p) => [p['person'], p['patient']]),
    );
    expect(duplicates.every((d) => primaryOf.has(d['person']))).toBe(true);
    const reports = new Map(all('DiagnosticReport').map((r) => [`DiagnosticReport/${String(r['id'])}`, r]));
    const repeats = run.readNdjson('ground-truth/repeated-tests.ndjson');
    expect(repeats.length).toBeGreaterThan(0);
    for (const rep of repeats) {
      const first = reports.get(String(rep['first']));
      const again = reports.get(String(rep['repeat']));
      expect(JSON.stringify(first?.['code'])).toContain(String(rep['code']));
      expect(JSON.stringify(again?.['code'])).toContain(String(rep['code']));
      expect(Number(rep['days'])).toBeLessThanOrEqual(14);
    }
    const outbreaks = JSON.parse(readFileSync(join(run.dir, 'ground-truth/outbreaks.json'), 'utf8')) as {
      id: string;
      cases: number;
      icd10: string;
    }[];
    const cases = run.readNdjson('ground-truth/outbreak-cases.ndjson');
    const conditions = new Map(all('Condition').map((c) => [String(c['id']), c]));
    for (const ob of outbreaks) {
      const mine = cases.filter((c) => c['outbreak'] === ob.id);
      expect(mine.length, ob.id).toBe(ob.cases);
      for (const c of mine)
        expect(JSON.stringify(conditions.get(String(c['condition']))?.['code'])).toContain(ob.icd10);
    }
    expect(cases.length).toBeGreaterThan(0);
  });
});
