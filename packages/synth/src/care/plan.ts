import {
  ACUTE_CONDITIONS,
  ADMISSION_CONDITIONS,
  CHRONIC_CONDITIONS,
  ILI,
  ILI_MONTH_WEIGHTS,
  prevalenceAt,
} from '../data/conditions.ts';
import type { Person } from '../population/model.ts';
import { type Rng, sample, weightedTable } from '../random/prng.ts';
import { ageAt, dayOf, yearOf } from '../util/dates.ts';
import type { Diagnosis } from './clinical.ts';
import type { ChronicState, PersonContext } from './context.ts';
import type { OutbreakPlan } from './outbreaks.ts';

export type CareEvent =
  | { readonly day: number; readonly kind: 'diagnosis'; readonly state: ChronicState }
  | { readonly day: number; readonly kind: 'followup'; readonly n: number }
  | { readonly day: number; readonly kind: 'refill' }
  | { readonly day: number; readonly kind: 'checkup' }
  | { readonly day: number; readonly kind: 'acute'; readonly diagnosis: Diagnosis }
  | {
      readonly day: number;
      readonly kind: 'ili';
      readonly diagnosis: Diagnosis;
      readonly outbreak?: OutbreakPlan;
    }
  | {
      readonly day: number;
      readonly kind: 'admission';
      readonly reason: 'stroke' | 'chd' | 'other';
      readonly diagnosis: Diagnosis;
    };

const ACUTE = weightedTable(ACUTE_CONDITIONS);
const ADMISSIONS = weightedTable(ADMISSION_CONDITIONS);
const MONTHS = weightedTable(ILI_MONTH_WEIGHTS.map((w, m) => [m, w] as const));

/** Chronic conditions present by the end of the window, with onset dates (some before the window). */
export function planChronic(rng: Rng, person: Person, lastDay: number): ChronicState[] {
  const age = ageAt(person.birthDay, lastDay);
  const out: ChronicState[] = [];
  for (const c of CHRONIC_CONDITIONS) {
    if (!rng.chance(prevalenceAt(c.prevalence, age))) continue;
    const earliest = c.prevalence[0]?.[0] ?? 18;
    const onsetAge = Math.max(earliest, age - rng.next() * Math.min(20, age - earliest));
    const onsetDay = Math.min(lastDay, person.birthDay + Math.floor(onsetAge * 365.25));
    out.push({ key: c.key, onsetDay, conditionId: undefined, treatedFrom: undefined });
  }
  return out;
}

/** 家庭医生签约: likelier for the elderly, the chronically ill and young children (national priorities). */
export function planContract(pc: PersonContext): number | undefined {
  const age = ageAt(pc.person.birthDay, pc.lastDay);
  const chronic = pc.chronic.some((c) => c.key === 'htn' || c.key === 'dm');
  const p = age >= 65 ? 0.7 : chronic ? 0.65 : age <= 6 ? 0.4 : 0.12;
  if (pc.lastDay - pc.firstDay < 60 || !pc.rng.chance(p)) return undefined;
  return pc.firstDay + pc.rng.int(0, Math.min(730, pc.lastDay - pc.firstDay - 30));
}

function randomDayInYear(rng: Rng, year: number): number {
  const month = sample(rng, MONTHS);
  return dayOf(`${year}-${String(month + 1).padStart(2, '0')}-01`) + rng.int(0, 27);
}

function ageRate(age: number, child: number, adult: number, elderly: number): number {
  return age < 14 ? child : age < 60 ? adult : elderly;
}

function chronicEvents(pc: PersonContext, events: CareEvent[], contractStart: number | undefined): void {
  for (const state of pc.chronic) {
    if (state.onsetDay < pc.firstDay) continue;
    if (state.key === 'stroke' || (state.key === 'chd' && pc.rng.chance(0.3))) {
      const def = CHRONIC_CONDITIONS.find((c) => c.key === state.key);
      if (def)
        events.push({
          day: state.onsetDay,
          kind: 'admission',
          reason: state.key === 'stroke' ? 'stroke' : 'chd',
          diagnosis: { icd10: def.icd10, display: def.display, zh: def.zh },
        });
    } else events.push({ day: state.onsetDay, kind: 'diagnosis', state });
  }
  const managed = pc.chronic.filter((c) => c.key === 'htn' || c.key === 'dm' || c.key === 'copd');
  if (managed.length === 0) return;
  const from = Math.max(pc.firstDay, Math.min(...managed.map((c) => c.onsetDay)) + 14);
  if (contractStart !== undefined && managed.some((c) => c.key !== 'copd')) {
    let n = 0;
    for (let day = Math.max(from, contractStart + 7); day <= pc.lastDay; day += pc.rng.int(80, 100))
      events.push({ day, kind: 'followup', n: n++ });
  } else {
    for (let day = from + pc.rng.int(0, 120); day <= pc.lastDay; day += pc.rng.int(330, 400))
      events.push({ day, kind: 'refill' });
  }
}

function yearlyEvents(pc: PersonContext, events: CareEvent[]): void {
  for (let y = yearOf(pc.firstDay); y <= yearOf(pc.lastDay); y++) {
    const mid = dayOf(`${y}-07-01`);
    const age = ageAt(pc.person.birthDay, mid);
    if (age >= 65) events.push({ day: dayOf(`${y}-03-01`) + pc.rng.int(0, 240), kind: 'checkup' });
    const ili = pc.rng.poisson(ageRate(age, 0.14, 0.05, 0.07));
    for (let k = 0; k < ili; k++)
      events.push({ day: randomDayInYear(pc.rng, y), kind: 'ili', diagnosis: ILI });
    const acute = pc.rng.poisson(age < 5 ? 2.5 : ageRate(age, 1.2, 0.8, 1.4));
    for (let k = 0; k < acute; k++)
      events.push({
        day: dayOf(`${y}-01-01`) + pc.rng.int(0, 364),
        kind: 'acute',
        diagnosis: sample(pc.rng, ACUTE),
      });
    const admissions = pc.rng.poisson(0.012 + 0.0015 * Math.max(0, age - 40) + (age < 5 ? 0.03 : 0));
    for (let k = 0; k < admissions; k++)
      events.push({
        day: dayOf(`${y}-01-01`) + pc.rng.int(0, 364),
        kind: 'admission',
        reason: 'other',
        diagnosis: sample(pc.rng, ADMISSIONS),
      });
  }
}

function outbreakEvents(pc: PersonContext, events: CareEvent[]): void {
  for (const ob of pc.run.outbreaks) {
    if (ob.district.code !== pc.hh.district.code || ob.subdistrict.name !== pc.hh.subdistrict.name) continue;
    if (ob.startDay < pc.firstDay || ob.endDay > pc.lastDay) continue;
    if (!pc.rng.chance(ob.attackRate(ageAt(pc.person.birthDay, ob.startDay)))) continue;
    events.push({ day: pc.rng.int(ob.startDay, ob.endDay), kind: 'ili', diagnosis: ob, outbreak: ob });
  }
}

/** The person's care events inside the window, in date order. */
export function planEvents(pc: PersonContext, contractStart: number | undefined): CareEvent[] {
  const events: CareEvent[] = [];
  chronicEvents(pc, events, contractStart);
  yearlyEvents(pc, events);
  outbreakEvents(pc, events);
  return events.filter((e) => e.day >= pc.firstDay && e.day <= pc.lastDay).sort((a, b) => a.day - b.day);
}
