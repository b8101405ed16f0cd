import {
  type District,
  PLACE_SUFFIX,
  PLACE_SYLLABLES,
  type Subdistrict,
  XIAMEN_DISTRICTS,
} from '../data/districts.ts';
import { type Rng, sample, type WeightedTable, weightedTable } from '../random/prng.ts';
import { villageName } from '../region/institutions.ts';
import { type Institution, type Region, subdistrictKey } from '../region/model.ts';
import { ageAt, yearOf } from '../util/dates.ts';
import {
  buildForeignPersons,
  createForeignTables,
  drawForeignNationality,
  type ForeignHouseholdRequest,
  type ForeignTables,
} from './foreign.ts';
import type { CitizenPerson, Household, Person, Relationship, Sex } from './model.ts';
import { drawGivenName, drawSurname, type NameTables, toPinyin } from './names.ts';
import {
  type Demography,
  drawAgeSex,
  drawDeath,
  drawHealthCard,
  drawMobile,
  drawResidentId,
} from './people.ts';

/** Household sizes; mean ≈ 2.5 (Xiamen 7th census: 2.36 per family household, national 2.62). */
const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [
  [1, 27],
  [2, 30],
  [3, 21],
  [4, 13],
  [5, 6],
  [6, 3],
];

export interface PopulationTables {
  readonly names: NameTables;
  readonly demography: Demography;
  readonly districts: WeightedTable<District>;
  readonly sizes: WeightedTable<number>;
  readonly foreign: ForeignTables;
}

export function createPopulationTables(names: NameTables, demography: Demography): PopulationTables {
  return {
    names,
    demography,
    districts: weightedTable(XIAMEN_DISTRICTS.map((d) => [d, d.population] as const)),
    sizes: weightedTable(HOUSEHOLD_SIZES),
    foreign: createForeignTables(),
  };
}

export interface HouseholdRequest {
  readonly index: number;
  /** Global ordinal of the household's first person (health-card serials). */
  readonly firstOrdinal: number;
  /** Most persons this household may have (the residents still to generate). */
  readonly maxMembers: number;
  readonly startDay: number;
  readonly asOfDay: number;
}

interface Draft {
  sex: Sex;
  birthDay: number;
  age: number;
  relationship: Relationship;
}

function draftMembers(rng: Rng, t: PopulationTables, req: HouseholdRequest): Draft[] {
  const target = Math.min(req.maxMembers, sample(rng, t.sizes));
  const drafts: Draft[] = [];
  // Draw from the pyramid until the size is reached and an adult is present: every draw is kept, so
  // the pooled ages still follow the pyramid (the stopping rule does not bias the draws it keeps).
  while (drafts.length < req.maxMembers && (drafts.length < target || !drafts.some((d) => d.age >= 18))) {
    const { sex, birthDay } = drawAgeSex(rng, t.demography, req.asOfDay);
    drafts.push({ sex, birthDay, age: ageAt(birthDay, req.asOfDay), relationship: 'other' });
  }
  drafts.sort((a, b) => a.birthDay - b.birthDay);
  const head = drafts.find((d) => d.age >= 18) ?? drafts[0];
  if (!head) return drafts;
  head.relationship = 'head';
  let hasSpouse = false;
  for (const d of drafts) {
    if (d === head) continue;
    if (!hasSpouse && d.age >= 20 && d.sex !== head.sex && Math.abs(d.age - head.age) <= 12) {
      d.relationship = 'spouse';
      hasSpouse = true;
    } else if (head.age - d.age >= 16) d.relationship = 'child';
    else if (d.age - head.age >= 16) d.relationship = 'parent';
  }
  return [head, ...drafts.filter((d) => d !== head)];
}

function surnames(rng: Rng, t: PopulationTables, drafts: readonly Draft[]): string[] {
  const headSurname = drawSurname(rng, t.names);
  const head = drafts[0];
  const spouse = drafts.find((d) => d.relationship === 'spouse');
  const spouseSurname = drawSurname(rng, t.names);
  const fatherSurname = head?.sex === 'female' && spouse ? spouseSurname : headSurname;
  const motherSurname =
    head?.sex === 'female' ? headSurname : spouse ? spouseSurname : drawSurname(rng, t.names);
  return drafts.map((d, i) => {
    if (i === 0) return headSurname;
    if (d.relationship === 'spouse') return spouseSurname;
    if (d.relationship === 'child') return rng.chance(0.92) ? fatherSurname : motherSurname;
    if (d.relationship === 'parent' && d.sex === 'male' && head?.sex === 'male') return headSurname;
    return drawSurname(rng, t.names);
  });
}

function place(rng: Rng, district: District, sub: Subdistrict): { community: string; dwelling: string } {
  if (sub.rural) return { community: `${villageName(rng)}村`, dwelling: `${rng.int(1, 260)}号` };
  const community = `${rng.pick(PLACE_SYLLABLES)}${rng.pick(PLACE_SUFFIX)}社区`;
  const floor = rng.int(1, district.code === '350203' ? 33 : 26);
  return { community, dwelling: `${rng.int(1, 80)}号楼${floor}${String(rng.int(1, 4)).padStart(2, '0')}室` };
}

function hospitalsFor(rng: Rng, region: Region, district: District): Institution[] {
  const local = region.hospitalsByDistrict.get(district.code) ?? [];
  const nearest = local.length > 0 ? rng.pick(local) : rng.pick(region.hospitals);
  const tertiary = region.hospitals.filter((h) => h.grade?.code.startsWith('3'));
  const other = rng.pick(tertiary.length > 0 ? tertiary : region.hospitals);
  const third = rng.pick(region.hospitals);
  return [...new Set([nearest, other, third])];
}

function citizenMembers(
  rng: Rng,
  t: PopulationTables,
  req: HouseholdRequest,
  district: District,
): { members: Person[]; householdPhone: string } {
  const drafts = draftMembers(rng, t, req);
  const names = surnames(rng, t, drafts);
  const householdPhone = drawMobile(rng);
  const members = drafts.map((d, m): CitizenPerson => {
    const family = names[m] ?? '王';
    const given = drawGivenName(rng, d.sex, yearOf(d.birthDay));
    const migrant = d.age >= 18 && rng.chance(d.age <= 65 ? 0.35 : 0.08);
    const ownPhone = d.age >= 18 && rng.chance(d.age >= 75 ? 0.5 : 0.8);
    return {
      kind: 'citizen',
      key: `per-${req.index}-${m}`,
      patientId: `pat-${req.index}-${m}`,
      sex: d.sex,
      birthDay: d.birthDay,
      deathDay: drawDeath(rng, d.birthDay, req.startDay, req.asOfDay),
      family,
      given,
      familyPinyin: toPinyin(t.names, family, true),
      givenPinyin: toPinyin(t.names, given, false),
      residentId: drawResidentId(rng, t.demography, { district, migrant, sex: d.sex, birthDay: d.birthDay }),
      healthCard: drawHealthCard(district, d.birthDay, req.startDay, (req.firstOrdinal + m) * 7919 + 104_729),
      phone: ownPhone ? drawMobile(rng) : householdPhone,
      relationship: d.relationship,
      migrant,
    };
  });
  return { members, householdPhone };
}

function foreignMembers(
  rng: Rng,
  t: PopulationTables,
  req: Omit<ForeignHouseholdRequest, 'householdPhone'>,
): { members: Person[]; householdPhone: string } {
  const householdPhone = drawMobile(rng);
  const members = buildForeignPersons(rng, t.foreign, t.demography, { ...req, householdPhone });
  return { members, householdPhone };
}

/**
 * Builds one household: address, members with names, IDs and phones, and the institutions it uses.
 * About 1 % are foreign households (`population/foreign.ts`); the rest are Chinese residents.
 */
export function buildHousehold(
  rng: Rng,
  t: PopulationTables,
  region: Region,
  req: HouseholdRequest,
): Household {
  const nationality = drawForeignNationality(rng, t.foreign);
  const district = sample(rng, t.districts);
  const subdistrict = rng.pick(district.subdistricts);
  const { community, dwelling } = place(rng, district, subdistrict);
  const { members, householdPhone } = nationality
    ? foreignMembers(rng, t, { ...req, district, nationality })
    : citizenMembers(rng, t, req, district);
  const key = subdistrictKey(district, subdistrict);
  const chc = region.chcBySubdistrict.get(key) ?? region.institutions.find((i) => i.kind === 'chc');
  if (!chc) throw new RangeError('region has no community health centre');
  const villages = region.villageBySubdistrict.get(key);
  const village = villages && villages.length > 0 ? rng.pick(villages) : undefined;
  return {
    index: req.index,
    district,
    subdistrict,
    community,
    dwelling,
    phone: householdPhone,
    members,
    chc,
    village,
    hospitals: hospitalsFor(rng, region, district),
  };
}
