import type { ImagingKey, LabPanelKey, MedicineKey } from '../data/catalog.ts';
import { CHRONIC_CONDITIONS } from '../data/conditions.ts';
import type { Institution } from '../region/model.ts';
import { ageAt, isoDate } from '../util/dates.ts';
import { type Diagnosis, ENCOUNTER_TYPES, type Visit, writeCondition, writeEncounter } from './clinical.ts';
import type { ChronicState, PersonContext } from './context.ts';
import { writeImaging } from './imaging.ts';
import { writeBloodPressure, writeLabPanel, writeVitals } from './observations.ts';
import { writeMedication } from './orders.ts';

const FIRST_LINE: Record<ChronicState['key'], readonly MedicineKey[]> = {
  htn: ['amlodipine', 'nifedipine', 'losartan'],
  dm: ['metformin', 'metformin', 'glargine'],
  lipid: ['atorvastatin'],
  chd: ['aspirin'],
  stroke: ['aspirin'],
  copd: ['tiotropium'],
};

export function diagnosisOf(key: ChronicState['key']): Diagnosis {
  const def = CHRONIC_CONDITIONS.find((c) => c.key === key);
  if (!def) throw new RangeError(`unknown chronic condition ${key}`);
  return { icd10: def.icd10, display: def.display, zh: def.zh };
}

/** Repeats a test at another institution within two weeks, sometimes (ground truth (c)). */
function maybeRepeat(
  pc: PersonContext,
  visit: Visit,
  test: { kind: 'lab' | 'imaging'; key: string; code: string; reportId: string },
): void {
  if (!pc.rng.chance(test.kind === 'lab' ? 0.03 : 0.06)) return;
  const day = visit.day + pc.rng.int(1, 14);
  const others = [pc.hh.chc, ...pc.hh.hospitals].filter((i) => i.id !== visit.inst.id);
  if (day > pc.lastDay || others.length === 0) return;
  const inst = pc.rng.pick(others);
  const repeat = writeEncounter(pc, {
    inst,
    dept: test.kind === 'lab' ? 'laboratory' : 'radiology',
    day,
    cls: 'AMB',
    type: ENCOUNTER_TYPES.repeatTest,
  });
  const reportId =
    test.kind === 'lab'
      ? writeLabPanel(pc, repeat, test.key as LabPanelKey)
      : writeImaging(pc, repeat, test.key as ImagingKey, pc.rng.chance(0.3));
  pc.run.truth.repeatedTest({
    kind: test.kind,
    code: test.code,
    person: pc.person.key,
    first: `DiagnosticReport/${test.reportId}`,
    repeat: `DiagnosticReport/${reportId}`,
    firstDate: isoDate(visit.day),
    repeatDate: isoDate(day),
    days: day - visit.day,
    firstInstitution: visit.inst.id,
    repeatInstitution: inst.id,
  });
}

export function labs(pc: PersonContext, visit: Visit, panel: LabPanelKey, code: string): void {
  const reportId = writeLabPanel(pc, visit, panel);
  maybeRepeat(pc, visit, { kind: 'lab', key: panel, code, reportId });
}

export function imaging(
  pc: PersonContext,
  visit: Visit,
  key: ImagingKey,
  code: string,
  abnormal: boolean,
): void {
  const reportId = writeImaging(pc, visit, key, abnormal);
  maybeRepeat(pc, visit, { kind: 'imaging', key, code, reportId });
}

export function prescribe(pc: PersonContext, visit: Visit, state: ChronicState, days: number): void {
  const options = FIRST_LINE[state.key];
  const index = Number(state.onsetDay) % options.length;
  writeMedication(pc, visit, options[index] ?? options[0] ?? 'aspirin', state.conditionId, days);
  if (state.treatedFrom === undefined) state.treatedFrom = visit.day;
}

/** Tests that go with diagnosing or reviewing a chronic condition. */
export function workUp(pc: PersonContext, visit: Visit, state: ChronicState, full: boolean): void {
  if (state.key === 'dm') {
    labs(pc, visit, 'glucose', '14771-0');
    if (full) labs(pc, visit, 'hba1c', '4548-4');
  } else if (state.key === 'htn' && full) labs(pc, visit, 'renal', '14682-9');
  else if (state.key === 'lipid' || (state.key === 'chd' && full)) labs(pc, visit, 'lipids', '57698-3');
  else if (state.key === 'copd' && full) imaging(pc, visit, 'xrChest', '36643-5', true);
}

export function handleDiagnosis(pc: PersonContext, state: ChronicState, day: number): void {
  const atHospital = pc.rng.chance(0.4);
  const inst: Institution = atHospital ? (pc.hh.hospitals[0] ?? pc.hh.chc) : pc.hh.chc;
  const diagnosis = diagnosisOf(state.key);
  const visit = writeEncounter(pc, {
    inst,
    dept: atHospital ? 'internal' : 'general',
    day,
    cls: 'AMB',
    type: ENCOUNTER_TYPES.outpatient,
    reason: diagnosis,
  });
  state.conditionId = writeCondition(pc, { diagnosis, onsetDay: state.onsetDay, visit, inst });
  writeBloodPressure(pc, visit);
  workUp(pc, visit, state, true);
  prescribe(pc, visit, state, 30);
}

export function handleFollowUp(pc: PersonContext, day: number, n: number): void {
  const homeVisit = ageAt(pc.person.birthDay, day) >= 75 && pc.rng.chance(0.3);
  const visit = writeEncounter(pc, {
    inst: pc.hh.chc,
    dept: 'general',
    day,
    cls: homeVisit ? 'HH' : 'AMB',
    type: ENCOUNTER_TYPES.followUp,
    episode: true,
  });
  writeBloodPressure(pc, visit);
  for (const state of pc.chronic) {
    if (state.onsetDay > day || (state.key !== 'htn' && state.key !== 'dm')) continue;
    if (state.key === 'dm') labs(pc, visit, 'glucose', '14771-0');
    if (n % 4 === 0) {
      if (state.key === 'dm') labs(pc, visit, 'hba1c', '4548-4');
      prescribe(pc, visit, state, 90);
    }
  }
}

export function handleRefill(pc: PersonContext, day: number): void {
  const inst = pc.hh.hospitals[0] ?? pc.hh.chc;
  const visit = writeEncounter(pc, {
    inst,
    dept: 'internal',
    day,
    cls: 'AMB',
    type: ENCOUNTER_TYPES.outpatient,
  });
  writeBloodPressure(pc, visit);
  for (const state of pc.chronic) {
    if (state.onsetDay > day || !['htn', 'dm', 'copd'].includes(state.key)) continue;
    workUp(pc, visit, state, false);
    prescribe(pc, visit, state, 90);
  }
}

export function handleCheckup(pc: PersonContext, day: number): void {
  const visit = writeEncounter(pc, {
    inst: pc.hh.chc,
    dept: 'general',
    day,
    cls: 'AMB',
    type: ENCOUNTER_TYPES.checkUp,
  });
  writeVitals(pc, visit);
  labs(pc, visit, 'glucose', '14771-0');
  labs(pc, visit, 'lipids', '57698-3');
  if (pc.rng.chance(0.3)) imaging(pc, visit, 'xrChest', '36643-5', pc.rng.chance(0.1));
}
