import type { EpisodeOfCare, Resource } from '@medplum/fhirtypes';
import { SYSTEMS } from '../data/systems.ts';
import { demographicsOf } from '../population/demographics.ts';
import type { Household, Person } from '../population/model.ts';
import { patientResource } from '../population/patient.ts';
import type { Rng } from '../random/prng.ts';
import { corruptDemographics } from '../truth/duplicates.ts';
import { isoDate } from '../util/dates.ts';
import { handleAcute, handleAdmission } from './acute-handlers.ts';
import { writeCondition } from './clinical.ts';
import { nextId, type PersonContext, patientRef, practitionerRef, type RunContext } from './context.ts';
import { diagnosisOf, handleCheckup, handleDiagnosis, handleFollowUp, handleRefill } from './handlers.ts';
import { writeImmunizations } from './orders.ts';
import { type CareEvent, planChronic, planContract, planEvents } from './plan.ts';
import { mrnOf } from './registration.ts';

/** Share of people with a separate, error-prone registration at each hospital they use. */
const DUPLICATE_RATE = 0.1;

function writePatients(pc: PersonContext, duplicates: readonly [string, string][]): void {
  const { person, hh } = pc;
  const demo = demographicsOf(person, hh);
  const nationality = person.kind === 'foreign' ? { nationality: person.nationality } : {};
  const mrn = (instId: string) => mrnOf(hh, person, instId);
  pc.out.push(
    patientResource({ id: person.patientId, person, demo, institution: hh.chc, mrn: mrn(hh.chc.id) }),
  );
  pc.run.truth.patient({
    patient: person.patientId,
    person: person.key,
    institution: hh.chc.id,
    primary: true,
    errors: [],
    ...nationality,
  });
  for (const [instId, patientId] of duplicates) {
    const inst = hh.hospitals.find((h) => h.id === instId);
    if (!inst) continue;
    const { demo: copy, errors } = corruptDemographics(pc.rng, demo);
    pc.out.push(patientResource({ id: patientId, person, demo: copy, institution: inst, mrn: mrn(instId) }));
    pc.run.truth.patient({
      patient: patientId,
      person: person.key,
      institution: instId,
      primary: false,
      errors,
      ...nationality,
    });
  }
}

function writeContract(pc: PersonContext, start: number): void {
  const team = pc.rng.pick(pc.hh.chc.teams);
  const id = nextId(pc, 'eoc');
  const died = pc.person.deathDay !== undefined;
  const episode: EpisodeOfCare = {
    resourceType: 'EpisodeOfCare',
    id,
    status: died ? 'finished' : 'active',
    type: [
      {
        coding: [
          { system: SYSTEMS.episodeType, code: 'family-doctor-contract', display: '家庭医生签约服务' },
        ],
        text: '家庭医生签约服务',
      },
    ],
    patient: patientRef(pc, pc.hh.chc),
    managingOrganization: { reference: `Organization/${pc.hh.chc.id}`, display: pc.hh.chc.name },
    period: { start: isoDate(start), ...(died ? { end: isoDate(pc.lastDay) } : {}) },
    careManager: practitionerRef(team.doctor),
    team: [{ reference: `CareTeam/${team.id}`, display: team.name }],
  };
  pc.out.push(episode);
  pc.episodeId = id;
}

function handle(pc: PersonContext, event: CareEvent): void {
  switch (event.kind) {
    case 'diagnosis':
      handleDiagnosis(pc, event.state, event.day);
      return;
    case 'followup':
      handleFollowUp(pc, event.day, event.n);
      return;
    case 'refill':
      handleRefill(pc, event.day);
      return;
    case 'checkup':
      handleCheckup(pc, event.day);
      return;
    case 'acute':
      handleAcute(pc, event.day, event.diagnosis);
      return;
    case 'ili':
      handleAcute(pc, event.day, event.diagnosis, event.outbreak);
      return;
    case 'admission':
      handleAdmission(pc, event.day, event.reason, event.diagnosis);
      return;
  }
}

/** Writes one person's Patient records and whole care history into `out`, referenced resources first. */
export function writePersonRecord(
  run: RunContext,
  rng: Rng,
  hh: Household,
  person: Person,
  out: Resource[],
): void {
  const lastDay = person.deathDay ?? run.asOfDay;
  const duplicates: [string, string][] = [];
  for (const h of hh.hospitals) {
    if (rng.chance(DUPLICATE_RATE)) duplicates.push([h.id, `${person.patientId}-d${duplicates.length + 1}`]);
  }
  const pc: PersonContext = {
    run,
    rng,
    hh,
    person,
    out,
    patientAt: new Map(duplicates),
    chronic: planChronic(rng, person, lastDay),
    lastDay,
    firstDay: Math.max(run.startDay, person.birthDay),
    seq: 0,
    episodeId: undefined,
  };
  writePatients(pc, duplicates);
  for (const state of pc.chronic) {
    if (state.onsetDay >= pc.firstDay) continue;
    state.conditionId = writeCondition(pc, {
      diagnosis: diagnosisOf(state.key),
      onsetDay: state.onsetDay,
      inst: hh.chc,
    });
    if (rng.chance(0.6)) state.treatedFrom = state.onsetDay;
  }
  const contractStart = planContract(pc);
  if (contractStart !== undefined) writeContract(pc, contractStart);
  writeImmunizations(pc);
  for (const event of planEvents(pc, contractStart)) handle(pc, event);
}
