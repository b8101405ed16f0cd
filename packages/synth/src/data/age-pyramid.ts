/**
 * Age/sex structure of China's population, 7th national census (2020-11-01), in millions by
 * five-year band, men and women. Transcribed (rounded to 0.01 M) from the census's national
 * "population by age and sex" table (China Population Census Yearbook 2020 / China Statistical
 * Yearbook 2021, table 2-7 equivalent). Check against NBS bulletin No. 5 (2021-05-11): our bands give
 * 0–14 = 17.98 %, 60+ = 18.65 %, 65+ = 13.44 % of the total vs the bulletin's 17.95 / 18.70 / 13.50 %;
 * overall sex ratio 104.9 vs 105.07. Only the shape is used (weights are normalised).
 */
export interface AgeBand {
  readonly from: number;
  /** Inclusive upper age; the last band is open (90+), capped at 100 for sampling. */
  readonly to: number;
  readonly male: number;
  readonly female: number;
}

export const CENSUS_2020_BANDS: readonly AgeBand[] = [
  { from: 0, to: 4, male: 41.06, female: 36.82 },
  { from: 5, to: 9, male: 48.03, female: 42.21 },
  { from: 10, to: 14, male: 45.61, female: 39.65 },
  { from: 15, to: 19, male: 38.97, female: 33.71 },
  { from: 20, to: 24, male: 39.68, female: 35.26 },
  { from: 25, to: 29, male: 47.85, female: 44.0 },
  { from: 30, to: 34, male: 63.87, female: 60.28 },
  { from: 35, to: 39, male: 51.02, female: 47.99 },
  { from: 40, to: 44, male: 47.97, female: 45.33 },
  { from: 45, to: 49, male: 58.19, female: 56.04 },
  { from: 50, to: 54, male: 61.35, female: 59.82 },
  { from: 55, to: 59, male: 51.11, female: 50.29 },
  { from: 60, to: 64, male: 36.69, female: 36.7 },
  { from: 65, to: 69, male: 36.45, female: 37.56 },
  { from: 70, to: 74, male: 24.21, female: 25.38 },
  { from: 75, to: 79, male: 14.66, female: 16.17 },
  { from: 80, to: 84, male: 9.15, female: 11.24 },
  { from: 85, to: 89, male: 4.35, female: 6.22 },
  { from: 90, to: 100, male: 1.4, female: 2.54 },
];

/** Share of the population in each band (both sexes), summing to 1: the test's targets. */
export function bandShares(bands: readonly AgeBand[] = CENSUS_2020_BANDS): number[] {
  const total = bands.reduce((s, b) => s + b.male + b.female, 0);
  return bands.map((b) => (b.male + b.female) / total);
}

/**
 * Annual probability of death at an age: a Gompertz curve fitted by eye to China's 2020 life table
 * (≈0.1 % at 40, 0.8 % at 60, 5 % at 80, 14 % at 90; crude death rate ≈ 7 ‰).
 */
export function annualMortality(age: number): number {
  if (age < 1) return 0.005;
  return Math.min(0.35, 0.00015 + Math.exp(-10.6 + 0.0955 * age));
}
