import { type AgeBand, annualMortality, CENSUS_2020_BANDS } from '../data/age-pyramid.ts';
import type { District } from '../data/districts.ts';
import { buildHealthCard } from '../ids/health-card.ts';
import { buildResidentId } from '../ids/resident-id.ts';
import { type Rng, sample, type WeightedTable, weightedTable } from '../random/prng.ts';
import { ageAt, isoDate, yearOf } from '../util/dates.ts';
import type { Sex } from './model.ts';

/** Area codes of common birthplaces of Xiamen's migrants (GB/T 2260): Fujian counties and provincial capitals. */
const MIGRANT_AREAS = [
  '350524',
  '350583',
  '350582',
  '350102',
  '350503',
  '350602',
  '350425',
  '350802',
  '360102',
  '430102',
  '510104',
  '420102',
  '410102',
  '340102',
  '440103',
  '450102',
  '520102',
  '530102',
  '370102',
  '320102',
];

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '147',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '175',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];

export interface Demography {
  readonly pyramid: WeightedTable<readonly [AgeBand, Sex]>;
  /** Fixed-size bit set of issued ID numbers (hashed): keeps IDs unique in constant memory. */
  readonly usedIds: Uint8Array;
}

export function createDemography(): Demography {
  const entries = CENSUS_2020_BANDS.flatMap((b): (readonly [readonly [AgeBand, Sex], number])[] => [
    [[b, 'male'] as const, b.male] as const,
    [[b, 'female'] as const, b.female] as const,
  ]);
  return { pyramid: weightedTable(entries), usedIds: new Uint8Array(1 << 24) };
}

/** Draws sex and birth day so that age at `asOfDay` follows the census pyramid. */
export function drawAgeSex(rng: Rng, demo: Demography, asOfDay: number): { sex: Sex; birthDay: number } {
  const [band, sex] = sample(rng, demo.pyramid);
  const ageDays = Math.floor((band.from + rng.next() * (band.to + 1 - band.from)) * 365.2425);
  return { sex, birthDay: asOfDay - ageDays };
}

/** Death during the simulated window, by annual age-specific mortality; undefined when alive at as-of. */
export function drawDeath(rng: Rng, birthDay: number, startDay: number, asOfDay: number): number | undefined {
  for (let year = Math.max(startDay, birthDay); year < asOfDay; year += 365) {
    if (rng.chance(annualMortality(ageAt(birthDay, year))))
      return Math.min(asOfDay - 1, year + rng.int(0, 364));
  }
  return undefined;
}

function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Draws ID numbers with `draw` until one is not yet issued (by the run's bit set) and marks it issued.
 * A hit may be a false positive of the hash; redrawing is harmless, so the IDs stay unique.
 */
export function drawUniqueId(demo: Demography, draw: () => string): string {
  const bits = demo.usedIds.length * 8;
  for (let attempt = 0; ; attempt++) {
    const id = draw();
    const bit = idHash(id) % bits;
    const byte = bit >>> 3;
    const mask = 1 << (bit & 7);
    if (((demo.usedIds[byte] ?? 0) & mask) === 0 || attempt > 50) {
      demo.usedIds[byte] = (demo.usedIds[byte] ?? 0) | mask;
      return id;
    }
  }
}

export function drawResidentId(
  rng: Rng,
  demo: Demography,
  opts: { district: District; migrant: boolean; sex: Sex; birthDay: number },
): string {
  return drawUniqueId(demo, () =>
    buildResidentId({
      areaCode: opts.migrant ? rng.pick(MIGRANT_AREAS) : opts.district.code,
      birthDate: isoDate(opts.birthDay),
      sex: opts.sex,
      sequence: rng.int(0, 499),
    }),
  );
}

export function drawHealthCard(
  district: District,
  birthDay: number,
  startDay: number,
  ordinal: number,
): string {
  return buildHealthCard(district.code, Math.max(yearOf(birthDay), yearOf(startDay) - 3), ordinal);
}

export function drawMobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}
