import type { DiagnosticReport, Observation, ObservationComponent, Quantity } from '@medplum/fhirtypes';
import { LAB_PANELS, LABS, type LabKey, type LabPanelKey, VITALS } from '../data/catalog.ts';
import { SYSTEMS } from '../data/systems.ts';
import { ageAt, isoDateTime } from '../util/dates.ts';
import type { Visit } from './clinical.ts';
import { hasChronic, nextId, type PersonContext, patientRef } from './context.ts';

const round1 = (x: number) => Math.round(x * 10) / 10;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function quantity(value: number, unit: string): Quantity {
  return { value, unit, system: SYSTEMS.ucum, code: unit };
}

function category(code: 'vital-signs' | 'laboratory') {
  return [{ coding: [{ system: SYSTEMS.observationCategory, code }] }];
}

function loinc(code: { loinc: string; display: string }, text?: string) {
  return {
    coding: [{ system: SYSTEMS.loinc, code: code.loinc, display: code.display }],
    ...(text ? { text } : {}),
  };
}

function base(pc: PersonContext, visit: Visit, cat: 'vital-signs' | 'laboratory', minuteOffset: number) {
  return {
    resourceType: 'Observation' as const,
    id: nextId(pc, 'obs'),
    status: 'final' as const,
    category: category(cat),
    subject: patientRef(pc, visit.inst),
    encounter: { reference: `Encounter/${visit.id}` },
    effectiveDateTime: isoDateTime(visit.day, Math.min(1439, visit.minute + minuteOffset)),
  };
}

/** Blood pressure that follows disease state: untreated hypertension high, treated lower but often above target. */
export function bloodPressure(pc: PersonContext, day: number): [number, number] {
  const age = ageAt(pc.person.birthDay, day);
  const htn = hasChronic(pc, 'htn', day);
  if (!htn)
    return [
      Math.round(clamp(pc.rng.normal(112 + 0.3 * Math.max(0, age - 30), 10), 88, 139)),
      Math.round(clamp(pc.rng.normal(74, 7), 55, 89)),
    ];
  const treated = htn.treatedFrom !== undefined && htn.treatedFrom <= day;
  return treated
    ? [Math.round(pc.rng.normal(136, 12)), Math.round(pc.rng.normal(84, 8))]
    : [Math.round(pc.rng.normal(154, 13)), Math.round(pc.rng.normal(95, 9))];
}

export function writeBloodPressure(pc: PersonContext, visit: Visit): string {
  const [sys, dia] = bloodPressure(pc, visit.day);
  const component: ObservationComponent[] = [
    { code: loinc(VITALS.systolic), valueQuantity: quantity(sys, 'mm[Hg]') },
    { code: loinc(VITALS.diastolic), valueQuantity: quantity(dia, 'mm[Hg]') },
  ];
  const obs: Observation = {
    ...base(pc, visit, 'vital-signs', 5),
    code: loinc(VITALS.bpPanel, '血压'),
    component,
  };
  pc.out.push(obs);
  return obs.id as string;
}

function simpleVital(
  pc: PersonContext,
  visit: Visit,
  code: { loinc: string; display: string },
  value: number,
  unit: string,
  text: string,
) {
  const obs: Observation = {
    ...base(pc, visit, 'vital-signs', 5),
    code: loinc(code, text),
    valueQuantity: quantity(value, unit),
  };
  pc.out.push(obs);
}

/** Height, weight, BMI and heart rate (a check-up's vital signs). */
export function writeVitals(pc: PersonContext, visit: Visit): void {
  const age = ageAt(pc.person.birthDay, visit.day);
  const male = pc.person.sex === 'male';
  const height =
    age >= 18
      ? pc.rng.normal(male ? 170 : 158.5, 6) - Math.max(0, age - 65) * 0.15
      : clamp(75 + age * 6.2 + pc.rng.normal(0, 4), 50, 185);
  const dm = hasChronic(pc, 'dm', visit.day) ? 1.8 : 0;
  const bmi =
    age >= 18
      ? clamp(pc.rng.normal(23.6 + dm, 3.2), 16, 40)
      : clamp(pc.rng.normal(16.5 + age * 0.2, 2), 12, 30);
  const weight = (bmi * height * height) / 10000;
  writeBloodPressure(pc, visit);
  simpleVital(
    pc,
    visit,
    VITALS.heartRate,
    Math.round(clamp(pc.rng.normal(age < 12 ? 95 : 75, 9), 50, 140)),
    '/min',
    '心率',
  );
  simpleVital(pc, visit, VITALS.height, round1(height), 'cm', '身高');
  simpleVital(pc, visit, VITALS.weight, round1(weight), 'kg', '体重');
  simpleVital(pc, visit, VITALS.bmi, round1(bmi), 'kg/m2', '体重指数');
}

function labValue(pc: PersonContext, key: LabKey, day: number): number {
  const r = pc.rng;
  const dm = hasChronic(pc, 'dm', day);
  const lipid = hasChronic(pc, 'lipid', day) ? 1 : 0;
  switch (key) {
    case 'glucose':
      return round1(dm ? clamp(r.normal(8.4, 1.9), 5.6, 20) : clamp(r.normal(5.1, 0.45), 3.9, 6.9));
    case 'hba1c':
      return round1(dm ? clamp(r.normal(7.7, 1.2), 5.8, 14) : clamp(r.normal(5.4, 0.3), 4.2, 6.4));
    case 'cholesterol':
      return round1(clamp(r.normal(4.7 + lipid * 1.3, 0.8), 2.5, 9.5));
    case 'ldl':
      return round1(clamp(r.normal(2.8 + lipid * 1.1, 0.7), 1, 7));
    case 'hdl':
      return round1(clamp(r.normal(1.35 - lipid * 0.2, 0.3), 0.6, 2.6));
    case 'triglyceride':
      return round1(clamp(Math.exp(r.normal(Math.log(1.3 + lipid * 0.9), 0.35)), 0.3, 12));
    case 'creatinine':
      return Math.round(clamp(r.normal(pc.person.sex === 'male' ? 80 : 62, 14) + (dm ? 10 : 0), 35, 400));
  }
}

/** Writes the panel's Observations and its DiagnosticReport; returns the report id. */
export function writeLabPanel(pc: PersonContext, visit: Visit, panelKey: LabPanelKey): string {
  const panel = LAB_PANELS[panelKey];
  const results: string[] = [];
  for (const key of panel.tests) {
    const test = LABS[key];
    const obs: Observation = {
      ...base(pc, visit, 'laboratory', 30),
      code: loinc(test, test.zh),
      valueQuantity: quantity(labValue(pc, key, visit.day), test.unit),
    };
    pc.out.push(obs);
    results.push(obs.id as string);
  }
  const id = nextId(pc, 'rpt');
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id,
    status: 'final',
    category: [
      { coding: [{ system: SYSTEMS.diagnosticServiceSection, code: 'LAB', display: 'Laboratory' }] },
    ],
    code: loinc(panel, panel.zh),
    subject: patientRef(pc, visit.inst),
    encounter: { reference: `Encounter/${visit.id}` },
    effectiveDateTime: isoDateTime(visit.day, Math.min(1439, visit.minute + 30)),
    issued: isoDateTime(visit.day, Math.min(1439, visit.minute + 150)).replace('+08:00', '.000+08:00'),
    performer: [{ reference: `Organization/${visit.inst.id}`, display: visit.inst.name }],
    result: results.map((r) => ({ reference: `Observation/${r}` })),
  };
  pc.out.push(report);
  return id;
}
