import type { Immunization, MedicationRequest } from '@medplum/fhirtypes';
import { MEDICINES, type MedicineKey, NIP_SCHEDULE } from '../data/catalog.ts';
import { SYSTEMS } from '../data/systems.ts';
import { department } from '../region/model.ts';
import { addMonths, isoDate, isoDateTime } from '../util/dates.ts';
import { ENCOUNTER_TYPES, type Visit, writeEncounter } from './clinical.ts';
import { nextId, type PersonContext, patientRef, practitionerRef } from './context.ts';

export function writeMedication(
  pc: PersonContext,
  visit: Visit,
  key: MedicineKey,
  reasonId?: string,
  days = 30,
): void {
  const med = MEDICINES[key];
  const stillActive = visit.day + days >= pc.run.asOfDay && pc.person.deathDay === undefined;
  const request: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: nextId(pc, 'med'),
    status: stillActive ? 'active' : 'completed',
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: SYSTEMS.atc, code: med.atc, display: med.display }],
      text: med.zh,
    },
    subject: patientRef(pc, visit.inst),
    encounter: { reference: `Encounter/${visit.id}` },
    authoredOn: isoDateTime(visit.day, Math.min(1439, visit.minute + 15)),
    requester: practitionerRef(visit.clinician),
    ...(reasonId ? { reasonReference: [{ reference: `Condition/${reasonId}` }] } : {}),
    dosageInstruction: [{ text: med.dosage }],
    dispenseRequest: { expectedSupplyDuration: { value: days, unit: 'd', system: SYSTEMS.ucum, code: 'd' } },
  };
  pc.out.push(request);
}

function immunization(
  pc: PersonContext,
  visit: Visit,
  vaccine: { code: string; zh: string; cvx?: string; cvxDisplay?: string },
  dose: number,
): Immunization {
  return {
    resourceType: 'Immunization',
    id: nextId(pc, 'imm'),
    status: 'completed',
    vaccineCode: {
      coding: [
        { system: SYSTEMS.nipVaccine, code: vaccine.code, display: vaccine.zh },
        ...(vaccine.cvx ? [{ system: SYSTEMS.cvx, code: vaccine.cvx, display: vaccine.cvxDisplay }] : []),
      ],
      text: vaccine.zh,
    },
    patient: patientRef(pc, visit.inst),
    encounter: { reference: `Encounter/${visit.id}` },
    occurrenceDateTime: isoDateTime(visit.day, visit.minute),
    recorded: isoDate(visit.day),
    primarySource: true,
    location: { reference: `Location/${department(visit.inst, 'prevention').locationId}` },
    performer: [{ actor: practitionerRef(visit.clinician) }],
    protocolApplied: [{ doseNumberPositiveInt: dose }],
  };
}

/**
 * Childhood doses of the national schedule due by the as-of date (including those before the window:
 * the immunisation registry holds a child's whole history), ~97 % on time; plus seasonal influenza
 * vaccination for people aged 60+ (≈ 20 % a year, not in the national programme).
 */
export function writeImmunizations(pc: PersonContext): void {
  const { person, hh } = pc;
  const vaccinationDays = new Map<
    number,
    { code: string; zh: string; cvx?: string; cvxDisplay?: string; dose: number }[]
  >();
  const child = person.birthDay > pc.run.asOfDay - 15 * 365.25;
  for (const dose of child ? NIP_SCHEDULE : []) {
    const day = addMonths(person.birthDay, dose.months) + pc.rng.int(0, 14);
    if (day > pc.lastDay || day > pc.run.asOfDay || !pc.rng.chance(0.97)) continue;
    const list = vaccinationDays.get(day) ?? [];
    list.push(dose);
    vaccinationDays.set(day, list);
  }
  for (let year = pc.firstDay; year + 300 <= pc.lastDay; year += 365) {
    const age = (year - person.birthDay) / 365.25;
    if (age >= 60 && pc.rng.chance(0.2)) {
      vaccinationDays.set(year + pc.rng.int(280, 300), [
        { code: 'Flu', zh: '流感疫苗', cvx: '88', cvxDisplay: 'influenza, unspecified formulation', dose: 1 },
      ]);
    }
  }
  for (const day of [...vaccinationDays.keys()].sort((a, b) => a - b)) {
    if (day > pc.lastDay) continue;
    const visit = writeEncounter(pc, {
      inst: hh.chc,
      dept: 'prevention',
      day,
      cls: 'AMB',
      type: ENCOUNTER_TYPES.immunization,
    });
    for (const dose of vaccinationDays.get(day) ?? []) pc.out.push(immunization(pc, visit, dose, dose.dose));
  }
}
