import type { MedicineKey } from '../data/catalog.ts';
import type { Institution } from '../region/model.ts';
import { ageAt, isoDate } from '../util/dates.ts';
import { type Diagnosis, ENCOUNTER_TYPES, writeCondition, writeEncounter } from './clinical.ts';
import type { PersonContext } from './context.ts';
import { diagnosisOf, imaging, labs, prescribe } from './handlers.ts';
import { writeMedication } from './orders.ts';
import type { OutbreakPlan } from './outbreaks.ts';

const ACUTE_MEDICINE: Record<string, MedicineKey> = {
  'J06.9': 'amoxicillin',
  'J20.9': 'amoxicillin',
  'N39.0': 'amoxicillin',
  'K29.7': 'omeprazole',
  'J11.1': 'oseltamivir',
  'J18.9': 'amoxicillin',
};

function primaryPlace(
  pc: PersonContext,
  hospitalShare: number,
): { inst: Institution; child: boolean; hospital: boolean } {
  const child = ageAt(pc.person.birthDay, pc.lastDay) < 14;
  if (pc.hh.village && pc.rng.chance(0.4)) return { inst: pc.hh.village, child, hospital: false };
  const hospital = pc.rng.chance(hospitalShare);
  return { inst: hospital ? (pc.hh.hospitals[0] ?? pc.hh.chc) : pc.hh.chc, child, hospital };
}

export function handleAcute(
  pc: PersonContext,
  day: number,
  diagnosis: Diagnosis,
  outbreak?: OutbreakPlan,
): void {
  const { inst, child, hospital } = primaryPlace(pc, outbreak ? 0.5 : 0.25);
  const dept = hospital ? (child ? 'paediatrics' : 'internal') : 'general';
  const visit = writeEncounter(pc, {
    inst,
    dept,
    day,
    cls: 'AMB',
    type: ENCOUNTER_TYPES.outpatient,
    reason: diagnosis,
  });
  const conditionId = writeCondition(pc, {
    diagnosis,
    onsetDay: day - pc.rng.int(0, 2),
    visit,
    resolvedAfterDays: pc.rng.int(5, 14),
    inst,
  });
  const med = ACUTE_MEDICINE[diagnosis.icd10];
  if (med && pc.rng.chance(0.45)) writeMedication(pc, visit, med, conditionId, med === 'oseltamivir' ? 5 : 7);
  if (diagnosis.icd10 === 'J20.9' && pc.rng.chance(0.25))
    imaging(pc, visit, 'xrChest', '36643-5', pc.rng.chance(0.3));
  if (diagnosis.icd10 === 'K29.7' && pc.rng.chance(0.15)) imaging(pc, visit, 'usAbdomen', '24558-9', false);
  if (outbreak) {
    pc.run.truth.outbreakCase({
      outbreak: outbreak.id,
      person: pc.person.key,
      patient: pc.patientAt.get(inst.id) ?? pc.person.patientId,
      encounter: visit.id,
      condition: conditionId,
      date: isoDate(day),
    });
  }
}

const ADMISSION_IMAGING: Record<string, readonly ['ctHead' | 'ctChest' | 'xrChest' | 'usAbdomen', string]> = {
  'J18.9': ['ctChest', '24627-2'],
  'K80.2': ['usAbdomen', '24558-9'],
  'K35.8': ['usAbdomen', '24558-9'],
  'I50.9': ['xrChest', '36643-5'],
  'I63.9': ['ctHead', '24725-4'],
};

export function handleAdmission(
  pc: PersonContext,
  day: number,
  reason: 'stroke' | 'chd' | 'other',
  diagnosis: Diagnosis,
): void {
  const major = reason !== 'other';
  const inst = (major ? pc.hh.hospitals[1] : undefined) ?? pc.hh.hospitals[0] ?? pc.hh.chc;
  const child = ageAt(pc.person.birthDay, day) < 14;
  const surgical = ['K80.2', 'K35.8', 'S72.0'].includes(diagnosis.icd10);
  const dept = surgical ? 'surgery' : child ? 'paediatrics' : 'internal';
  const visit = writeEncounter(pc, {
    inst,
    dept,
    day,
    cls: 'IMP',
    type: ENCOUNTER_TYPES.inpatient,
    reason: diagnosis,
    lengthDays: pc.rng.int(3, 14),
  });
  const state = major ? pc.chronic.find((c) => c.key === reason) : undefined;
  const conditionId = state
    ? writeCondition(pc, { diagnosis: diagnosisOf(state.key), onsetDay: day, visit, inst })
    : writeCondition(pc, { diagnosis, onsetDay: day, visit, resolvedAfterDays: pc.rng.int(7, 30), inst });
  if (state) state.conditionId = conditionId;
  labs(pc, visit, 'renal', '14682-9');
  labs(pc, visit, 'glucose', '14771-0');
  const img = ADMISSION_IMAGING[diagnosis.icd10];
  if (img) imaging(pc, visit, img[0], img[1], true);
  if (reason === 'stroke' && pc.rng.chance(0.5)) imaging(pc, visit, 'mrBrain', '24590-2', true);
  if (state) prescribe(pc, visit, state, 30);
  else if (diagnosis.icd10 === 'J18.9') writeMedication(pc, visit, 'amoxicillin', conditionId, 10);
}
