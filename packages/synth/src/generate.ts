import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import type { DicomRequest, RunContext } from './care/context.ts';
import { tagCustodians } from './care/custodian.ts';
import { type OutbreakPlan, planOutbreaks } from './care/outbreaks.ts';
import { writePersonRecord } from './care/person-record.ts';
import { createDicomWriter } from './dicom/dicom-writer.ts';
import { validateSynthOptions } from './options.ts';
import { buildHousehold, createPopulationTables } from './population/household.ts';
import { createNameTables } from './population/names.ts';
import { createDemography } from './population/people.ts';
import { createRng } from './random/prng.ts';
import { regionResources } from './region/emit-region.ts';
import { buildRegion } from './region/institutions.ts';
import type { ResourceSink } from './sink/ndjson-sink.ts';
import { groundTruthWriter, type OutbreakTruth } from './truth/ground-truth.ts';
import { addMonths, dayOf, isoDate, isoWeek } from './util/dates.ts';

export interface SynthOptions {
  /** Any string; the same seed always yields the same bytes. */
  seed: string;
  /** The simulated "today", YYYY-MM-DD. */
  asOf: string;
  residents: number;
  /** Directory for ground truth (`ground-truth/`), DICOM files (`dicom/`) and the manifest. */
  out: string;
  dicom: boolean;
  outbreaks: boolean;
  /** Length of the simulated care history, in years. */
  years: number;
}

export interface SynthSummary {
  readonly seed: string;
  readonly asOf: string;
  readonly residents: number;
  readonly households: number;
  readonly institutions: number;
  readonly duplicatePatients: number;
  readonly outbreaks: number;
  readonly outbreakCases: number;
  readonly repeatedTests: number;
  readonly dicomFiles: number;
  readonly resources: number;
  readonly resourcesByType: Readonly<Record<string, number>>;
}

function outbreakTruth(plans: readonly OutbreakPlan[], cases: ReadonlyMap<string, number>): OutbreakTruth[] {
  return plans.map((p) => {
    const weeks: string[] = [];
    for (let d = p.startDay; d <= p.endDay; d += 7) weeks.push(isoWeek(d));
    return {
      id: p.id,
      icd10: p.icd10,
      display: p.display,
      zh: p.zh,
      districtCode: p.district.code,
      district: p.district.name,
      subdistrict: p.subdistrict.name,
      startDate: isoDate(p.startDay),
      endDate: isoDate(p.endDay),
      isoWeeks: weeks,
      cases: cases.get(p.id) ?? 0,
    };
  });
}

/**
 * Generates a synthetic region into `sink`, household by household (memory stays flat), and the
 * ground truth into `<out>/ground-truth/`. Closes the sink when done.
 */
export async function generateRegion(
  options: SynthOptions,
  sink: ResourceSink,
  progress?: (done: number, total: number) => void,
): Promise<SynthSummary> {
  validateSynthOptions(options);
  const root = createRng(`yiyun-synth/${options.seed}`);
  const names = createNameTables();
  const region = buildRegion(root.fork('region'), names, options.residents);
  const tables = createPopulationTables(names, createDemography());
  const asOfDay = dayOf(options.asOf);
  const startDay = addMonths(asOfDay, -12 * options.years);
  const outbreaks = options.outbreaks
    ? planOutbreaks(root.fork('outbreaks'), startDay, asOfDay, options.years)
    : [];
  const truth = groundTruthWriter(join(options.out, 'ground-truth'));
  const dicomWriter = options.dicom ? await createDicomWriter(join(options.out, 'dicom')) : undefined;
  const byType = new Map<string, number>();
  const write = async (resources: readonly Resource[]) => {
    for (const r of resources) {
      byType.set(r.resourceType, (byType.get(r.resourceType) ?? 0) + 1);
      const pending = sink.write(r);
      if (pending) await pending;
    }
  };
  await write(tagCustodians(regionResources(region.institutions)));
  let done = 0;
  let households = 0;
  let dicomFiles = 0;
  while (done < options.residents) {
    const rng = root.fork(`household/${households}`);
    const req = {
      index: households,
      firstOrdinal: done,
      maxMembers: options.residents - done,
      startDay,
      asOfDay,
    };
    const hh = buildHousehold(rng, tables, region, req);
    const dicom: DicomRequest[] | undefined = dicomWriter ? [] : undefined;
    const run: RunContext = { startDay, asOfDay, outbreaks, truth, dicom };
    const out: Resource[] = [];
    for (const person of hh.members) writePersonRecord(run, rng, hh, person, out);
    await write(tagCustodians(out));
    for (const request of dicom ?? []) {
      dicomWriter?.write(request, rng);
      dicomFiles++;
    }
    done += hh.members.length;
    households++;
    progress?.(done, options.residents);
  }
  const outbreakSummary = outbreakTruth(outbreaks, truth.counts.outbreakCases);
  truth.close(outbreakSummary);
  await sink.close();
  const resourcesByType = Object.fromEntries([...byType.entries()].sort(([a], [b]) => a.localeCompare(b)));
  const summary: SynthSummary = {
    seed: options.seed,
    asOf: options.asOf,
    residents: done,
    households,
    institutions: region.institutions.length,
    duplicatePatients: truth.counts.duplicates,
    outbreaks: outbreaks.length,
    outbreakCases: outbreakSummary.reduce((s, o) => s + o.cases, 0),
    repeatedTests: truth.counts.repeatedTests,
    dicomFiles,
    resources: [...byType.values()].reduce((a, b) => a + b, 0),
    resourcesByType,
  };
  writeFileSync(join(options.out, 'ground-truth', 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
