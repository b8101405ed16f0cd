import type { District } from '../data/districts.ts';
import { NATIONALITIES, type Nationality } from '../data/nationalities.ts';
import { buildPermanentResidenceId, drawPassportNumber } from '../ids/foreign-ids.ts';
import { type Rng, sample, type WeightedTable, weightedTable } from '../random/prng.ts';
import { isoDate } from '../util/dates.ts';
import { drawLatinNames } from './latin-name.ts';
import type { ForeignPerson, Relationship, Sex } from './model.ts';
import { type Demography, drawDeath, drawHealthCard, drawMobile, drawUniqueId } from './people.ts';

/**
 * Share of households that are foreign nationals. Far above the real share (the 2020 census counted
 * about 0.85 M foreigners living in mainland China, ≈ 0.06 % of residents; coastal cities like Xiamen
 * have more): chosen so that an MPI evaluation on a few thousand residents has dozens of Latin-script
 * records to measure, while Chinese records still dominate as they do in practice.
 */
export const FOREIGN_HOUSEHOLD_SHARE = 0.01;

/** Share of foreign households holding 外国人永久居留身份证 (all members; children follow parents). */
const PERMANENT_RESIDENT_SHARE = 0.3;

/** Foreign households are smaller than Chinese ones: many single expatriates, couples, young families. */
const FOREIGN_SIZES: readonly (readonly [number, number])[] = [
  [1, 40],
  [2, 26],
  [3, 18],
  [4, 12],
  [5, 4],
];

export interface ForeignTables {
  readonly nationalities: WeightedTable<Nationality>;
  readonly sizes: WeightedTable<number>;
}

export function createForeignTables(): ForeignTables {
  return {
    nationalities: weightedTable(NATIONALITIES.map((n) => [n, n.weight] as const)),
    sizes: weightedTable(FOREIGN_SIZES),
  };
}

/** Decides from its own stream whether household `rng` is foreign, so Chinese households draw as before. */
export function drawForeignNationality(rng: Rng, t: ForeignTables): Nationality | undefined {
  const own = rng.fork('foreign');
  return own.chance(FOREIGN_HOUSEHOLD_SHARE) ? sample(own, t.nationalities) : undefined;
}

interface Member {
  sex: Sex;
  age: number;
  relationship: Relationship;
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(x)));

/**
 * Working-age adults (a few retirees) with their spouse and children under 18: foreigners come to
 * Xiamen to work or study and rarely bring grandparents.
 */
function foreignMembers(rng: Rng, t: ForeignTables, maxMembers: number): Member[] {
  const retiree = rng.chance(0.06);
  const size = Math.min(maxMembers, retiree ? 2 : 5, sample(rng, t.sizes));
  const headSex: Sex = rng.chance(0.62) ? 'male' : 'female';
  const headAge = retiree ? rng.int(60, 78) : clamp(rng.normal(38, 9), 21, 64);
  const members: Member[] = [{ sex: headSex, age: headAge, relationship: 'head' }];
  if (size >= 2 && rng.chance(size === 2 ? 0.6 : 0.9)) {
    const gap = rng.normal(headSex === 'male' ? -2 : 2, 4);
    members.push({
      sex: headSex === 'male' ? 'female' : 'male',
      age: clamp(headAge + gap, 20, 85),
      relationship: 'spouse',
    });
  }
  const mother = members.find((m) => m.sex === 'female') ?? members[0];
  const youngest = Math.min(17, (mother?.age ?? headAge) - 20);
  while (members.length < size && youngest >= 0) {
    members.push({
      sex: rng.chance(0.51) ? 'male' : 'female',
      age: rng.int(0, youngest),
      relationship: 'child',
    });
  }
  return members;
}

export interface ForeignHouseholdRequest {
  readonly index: number;
  readonly firstOrdinal: number;
  readonly maxMembers: number;
  readonly startDay: number;
  readonly asOfDay: number;
  readonly district: District;
  readonly nationality: Nationality;
  readonly householdPhone: string;
}

/** The members of one foreign household: one nationality and naming tradition, passports each. */
export function buildForeignPersons(
  rng: Rng,
  t: ForeignTables,
  demography: Demography,
  req: ForeignHouseholdRequest,
): ForeignPerson[] {
  const nat = req.nationality;
  const group = sample(rng, weightedTable(nat.groups));
  const members = foreignMembers(rng, t, req.maxMembers);
  const names = drawLatinNames(rng, group, members);
  const permanent = rng.chance(PERMANENT_RESIDENT_SHARE);
  return members.map((m, i): ForeignPerson => {
    const birthDay = req.asOfDay - Math.floor((m.age + rng.next()) * 365.2425);
    const name = names[i];
    if (!name) throw new RangeError('a household member without a name');
    const permanentResidenceId = permanent
      ? drawUniqueId(demography, () =>
          buildPermanentResidenceId({
            nationalityNumeric: nat.numeric,
            birthDate: isoDate(birthDay),
            sex: m.sex,
            sequence: rng.int(0, 499),
          }),
        )
      : undefined;
    return {
      kind: 'foreign',
      key: `per-${req.index}-${i}`,
      patientId: `pat-${req.index}-${i}`,
      sex: m.sex,
      birthDay,
      deathDay: drawDeath(rng, birthDay, req.startDay, req.asOfDay),
      nationality: nat.iso3,
      name,
      passport: drawPassportNumber(rng, nat.passport),
      permanentResidenceId,
      healthCard: permanent
        ? drawHealthCard(req.district, birthDay, req.startDay, (req.firstOrdinal + i) * 7919 + 104_729)
        : undefined,
      phone: m.age >= 16 && rng.chance(0.95) ? drawMobile(rng) : req.householdPhone,
      relationship: m.relationship,
    };
  });
}
