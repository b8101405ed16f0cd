import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRegion, type SynthOptions, type SynthSummary } from './generate.ts';
import { buildHousehold, createPopulationTables } from './population/household.ts';
import type { Household } from './population/model.ts';
import { createNameTables } from './population/names.ts';
import { createDemography } from './population/people.ts';
import { createRng } from './random/prng.ts';
import { buildRegion } from './region/institutions.ts';
import { ndjsonDirectorySink } from './sink/ndjson-sink.ts';
import { addMonths, dayOf } from './util/dates.ts';

export interface GeneratedRun {
  readonly dir: string;
  readonly summary: SynthSummary;
  /** Parsed resources by type. */
  readonly byType: Map<string, Record<string, unknown>[]>;
  readNdjson(path: string): Record<string, unknown>[];
  [Symbol.dispose](): void;
}

/** Generates a region into a fresh temp dir (removed on dispose) and parses it back. */
export async function generateInTemp(overrides: Partial<SynthOptions>): Promise<GeneratedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'yiyun-synth-'));
  const options: SynthOptions = {
    seed: 't',
    asOf: '2026-06-30',
    residents: 200,
    out: dir,
    dicom: false,
    outbreaks: true,
    years: 5,
    ...overrides,
  };
  const summary = await generateRegion(options, ndjsonDirectorySink(dir));
  const readNdjson = (path: string) =>
    readFileSync(join(dir, path), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const byType = new Map<string, Record<string, unknown>[]>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ndjson')))
    byType.set(f.replace('.ndjson', ''), readNdjson(f));
  return {
    dir,
    summary,
    byType,
    readNdjson,
    [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every `reference` string anywhere inside a value. */
export function collectReferences(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) collectReferences(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else collectReferences(v, out);
    }
  }
  return out;
}

/** Builds `households` households of a region the way `generateRegion` does, without care or output. */
export function* sampleHouseholds(seed: string, households: number): Generator<Household> {
  const root = createRng(`yiyun-synth/${seed}`);
  const names = createNameTables();
  const region = buildRegion(root.fork('region'), names, Math.ceil(households * 2.5));
  const tables = createPopulationTables(names, createDemography());
  const asOfDay = dayOf('2026-06-30');
  const startDay = addMonths(asOfDay, -60);
  let done = 0;
  for (let index = 0; index < households; index++) {
    const req = { index, firstOrdinal: done, maxMembers: 10, startDay, asOfDay };
    const hh = buildHousehold(root.fork(`household/${index}`), tables, region, req);
    done += hh.members.length;
    yield hh;
  }
}
