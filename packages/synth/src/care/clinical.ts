import type { Condition, Encounter } from '@medplum/fhirtypes';
import { SYSTEMS } from '../data/systems.ts';
import { type DepartmentKey, department, type Institution, type Staff } from '../region/model.ts';
import { isoDate, isoDateTime } from '../util/dates.ts';
import { nextId, type PersonContext, patientRef, practitionerRef } from './context.ts';

export interface Diagnosis {
  readonly icd10: string;
  readonly display: string;
  readonly zh: string;
}

/** An encounter written for a person; later resources hang off it. */
export interface Visit {
  readonly id: string;
  readonly inst: Institution;
  readonly day: number;
  readonly minute: number;
  readonly clinician: Staff;
  readonly locationId: string;
}

const CLASS_DISPLAY = {
  AMB: 'ambulatory',
  IMP: 'inpatient encounter',
  HH: 'home health',
  EMER: 'emergency',
} as const;

export const ENCOUNTER_TYPES = {
  outpatient: { code: 'outpatient', zh: '门诊' },
  inpatient: { code: 'inpatient', zh: '住院' },
  followUp: { code: 'chronic-follow-up', zh: '慢病随访' },
  checkUp: { code: 'health-check', zh: '老年人健康体检' },
  immunization: { code: 'immunization', zh: '预防接种' },
  repeatTest: { code: 'diagnostic', zh: '检查检验' },
} as const;

function clinicianOf(
  pc: PersonContext,
  inst: Institution,
  key: DepartmentKey,
): { staff: Staff; locationId: string } {
  const dept = department(inst, key);
  const clinicians = dept.staff.filter((s) => s.role !== 'nurse');
  return { staff: pc.rng.pick(clinicians.length > 0 ? clinicians : dept.staff), locationId: dept.locationId };
}

export function writeEncounter(
  pc: PersonContext,
  opts: {
    inst: Institution;
    dept: DepartmentKey;
    day: number;
    cls: keyof typeof CLASS_DISPLAY;
    type: { code: string; zh: string };
    reason?: Diagnosis;
    lengthDays?: number;
    episode?: boolean;
  },
): Visit {
  const id = nextId(pc, 'enc');
  const minute = pc.rng.int(8 * 60, 17 * 60);
  const { staff, locationId } = clinicianOf(pc, opts.inst, opts.dept);
  const endDay = Math.min(opts.day + (opts.lengthDays ?? 0), pc.run.asOfDay);
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: SYSTEMS.actCode, code: opts.cls, display: CLASS_DISPLAY[opts.cls] },
    type: [
      {
        coding: [{ system: SYSTEMS.encounterType, code: opts.type.code, display: opts.type.zh }],
        text: opts.type.zh,
      },
    ],
    subject: patientRef(pc, opts.inst),
    ...(opts.episode && pc.episodeId
      ? { episodeOfCare: [{ reference: `EpisodeOfCare/${pc.episodeId}` }] }
      : {}),
    participant: [{ individual: practitionerRef(staff) }],
    period: {
      start: isoDateTime(opts.day, minute),
      end: isoDateTime(endDay, endDay === opts.day ? minute + 20 : pc.rng.int(9 * 60, 11 * 60)),
    },
    ...(opts.reason
      ? {
          reasonCode: [
            {
              coding: [{ system: SYSTEMS.icd10, code: opts.reason.icd10, display: opts.reason.display }],
              text: opts.reason.zh,
            },
          ],
        }
      : {}),
    location: [{ location: { reference: `Location/${locationId}` } }],
    serviceProvider: { reference: `Organization/${opts.inst.id}`, display: opts.inst.name },
  };
  pc.out.push(encounter);
  return { id, inst: opts.inst, day: opts.day, minute, clinician: staff, locationId };
}

/** A Condition; chronic ones go on the problem list, acute ones are resolved encounter diagnoses. */
export function writeCondition(
  pc: PersonContext,
  opts: {
    diagnosis: Diagnosis;
    onsetDay: number;
    visit?: Visit;
    resolvedAfterDays?: number;
    inst: Institution;
  },
): string {
  const id = nextId(pc, 'cond');
  const resolved = opts.resolvedAfterDays !== undefined;
  const abatement = opts.onsetDay + (opts.resolvedAfterDays ?? 0);
  const condition: Condition = {
    resourceType: 'Condition',
    id,
    clinicalStatus: {
      coding: [{ system: SYSTEMS.conditionClinical, code: resolved ? 'resolved' : 'active' }],
    },
    verificationStatus: { coding: [{ system: SYSTEMS.conditionVerification, code: 'confirmed' }] },
    category: [
      {
        coding: [
          { system: SYSTEMS.conditionCategory, code: resolved ? 'encounter-diagnosis' : 'problem-list-item' },
        ],
      },
    ],
    code: {
      coding: [{ system: SYSTEMS.icd10, code: opts.diagnosis.icd10, display: opts.diagnosis.display }],
      text: opts.diagnosis.zh,
    },
    subject: patientRef(pc, opts.inst),
    ...(opts.visit ? { encounter: { reference: `Encounter/${opts.visit.id}` } } : {}),
    onsetDateTime: isoDate(opts.onsetDay),
    ...(resolved && abatement <= pc.run.asOfDay ? { abatementDateTime: isoDate(abatement) } : {}),
    recordedDate: isoDate(opts.visit?.day ?? Math.max(opts.onsetDay, pc.firstDay)),
    ...(opts.visit ? { recorder: practitionerRef(opts.visit.clinician) } : {}),
  };
  pc.out.push(condition);
  return id;
}
