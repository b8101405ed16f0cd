import { type District, type Subdistrict, XIAMEN_DISTRICTS } from '../data/districts.ts';
import type { Rng } from '../random/prng.ts';

/** An injected outbreak: a disease concentrated in one subdistrict over a few weeks. */
export interface OutbreakPlan {
  readonly id: string;
  readonly icd10: string;
  readonly display: string;
  readonly zh: string;
  readonly district: District;
  readonly subdistrict: Subdistrict;
  readonly startDay: number;
  readonly endDay: number;
  /** Attack rate (probability of a case) by age at the outbreak. */
  readonly attackRate: (age: number) => number;
}

const DISEASES = [
  {
    icd10: 'B08.4',
    display: 'Enteroviral vesicular stomatitis with exanthem',
    zh: '手足口病',
    rate: (a: number) => (a < 6 ? 0.08 : a < 12 ? 0.02 : 0),
  },
  {
    icd10: 'A08.1',
    display: 'Acute gastroenteropathy due to Norwalk agent',
    zh: '诺如病毒感染',
    rate: (a: number) => (a < 18 ? 0.04 : 0.015),
  },
  {
    icd10: 'J11.1',
    display: 'Influenza with other respiratory manifestations, virus not identified',
    zh: '流感样病例聚集',
    rate: (a: number) => (a < 15 ? 0.06 : 0.02),
  },
] as const;

/** Plans `2 × years` outbreaks (at least one) at random places and weeks inside the window. */
export function planOutbreaks(rng: Rng, startDay: number, asOfDay: number, years: number): OutbreakPlan[] {
  const count = Math.max(1, Math.round(2 * years));
  const plans: OutbreakPlan[] = [];
  for (let i = 0; i < count; i++) {
    const disease = rng.pick(DISEASES);
    const district = rng.pick(XIAMEN_DISTRICTS);
    const subdistrict = rng.pick(district.subdistricts);
    const rawStart = rng.int(startDay + 30, Math.max(startDay + 31, asOfDay - 30));
    const monday = rawStart - ((rawStart + 3) % 7); // day 0 (1970-01-01) was a Thursday
    plans.push({
      id: `outbreak-${i + 1}`,
      icd10: disease.icd10,
      display: disease.display,
      zh: disease.zh,
      district,
      subdistrict,
      startDay: monday,
      endDay: monday + 7 * rng.int(2, 3) - 1,
      attackRate: disease.rate,
    });
  }
  return plans;
}
