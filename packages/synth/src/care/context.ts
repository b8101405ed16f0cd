import type { Patient, Practitioner, Reference, Resource } from '@medplum/fhirtypes';
import type { Household, Person } from '../population/model.ts';
import type { Rng } from '../random/prng.ts';
import type { Institution, Staff } from '../region/model.ts';
import type { GroundTruth } from '../truth/ground-truth.ts';
import type { OutbreakPlan } from './outbreaks.ts';

/** A study for which a DICOM file should be written (with --dicom). */
export interface DicomRequest {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly instanceUid: string;
  readonly sopClassUid: string;
  readonly modality: 'CT' | 'DX' | 'MR' | 'US';
  readonly bodyPart: string;
  readonly day: number;
  /** Study time, HHMMSS (PS3.5 TM), local (China Standard Time) like the ImagingStudy's `started`. */
  readonly time: string;
  /** Study and series description (the procedure's Chinese name, as on the ImagingStudy). */
  readonly description: string;
  /** Patient ID (0010,0020): the MRN of the Patient record the ImagingStudy's subject refers to. */
  readonly patientId: string;
  /** Issuer of Patient ID (0010,0021): the `Organization` id of the institution that assigned it. */
  readonly issuer: string;
  readonly patientName: string;
  readonly patientSex: 'M' | 'F';
  readonly birthDate: string;
  readonly accession: string;
  readonly institution: string;
}

/** Run-wide state every person's generation can see (read-only apart from the writers). */
export interface RunContext {
  readonly startDay: number;
  readonly asOfDay: number;
  readonly outbreaks: readonly OutbreakPlan[];
  readonly truth: GroundTruth;
  /** Collects DICOM requests of the current household; undefined without --dicom. */
  readonly dicom: DicomRequest[] | undefined;
}

export interface ChronicState {
  readonly key: 'htn' | 'dm' | 'copd' | 'chd' | 'stroke' | 'lipid';
  readonly onsetDay: number;
  conditionId: string | undefined;
  /** Day treatment started (first prescription), if any. */
  treatedFrom: number | undefined;
}

/** Everything known while writing one person's record. */
export interface PersonContext {
  readonly run: RunContext;
  readonly rng: Rng;
  readonly hh: Household;
  readonly person: Person;
  readonly out: Resource[];
  /** Patient id to reference at each institution (duplicate registrations differ). */
  readonly patientAt: ReadonlyMap<string, string>;
  readonly chronic: ChronicState[];
  /** Last day the person is alive in the window (as-of or the day before death). */
  readonly lastDay: number;
  /** First day of care in the window (window start or birth). */
  readonly firstDay: number;
  seq: number;
  episodeId: string | undefined;
}

export function nextId(pc: PersonContext, prefix: string): string {
  return `${prefix}-${pc.hh.index}-${pc.person.patientId.slice(pc.person.patientId.lastIndexOf('-') + 1)}-${pc.seq++}`;
}

export function patientRef(pc: PersonContext, inst: Institution): Reference<Patient> {
  return { reference: `Patient/${pc.patientAt.get(inst.id) ?? pc.person.patientId}` };
}

export function hasChronic(
  pc: PersonContext,
  key: ChronicState['key'],
  day: number,
): ChronicState | undefined {
  return pc.chronic.find((c) => c.key === key && c.onsetDay <= day);
}

export function practitionerRef(s: Staff): Reference<Practitioner> {
  return { reference: `Practitioner/${s.practitionerId}`, display: s.family + s.given };
}
