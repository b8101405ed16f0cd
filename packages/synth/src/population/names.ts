import { pinyin } from 'pinyin-pro';
import { NAME_COHORTS, type NameCohort } from '../data/given-names.ts';
import { surnameWeights } from '../data/surnames.ts';
import { type Rng, sample, type WeightedTable, weightedTable } from '../random/prng.ts';

export interface ChineseName {
  readonly family: string;
  readonly given: string;
}

/** Name tables built once per run and passed around (no module-level state). */
export interface NameTables {
  readonly surnames: WeightedTable<string>;
  /** Memo of pinyin renderings (bounded by the number of distinct names, a few thousand). */
  readonly pinyinCache: Map<string, string>;
}

export function createNameTables(): NameTables {
  return { surnames: weightedTable(surnameWeights()), pinyinCache: new Map() };
}

function cohortFor(birthYear: number): NameCohort {
  return (
    NAME_COHORTS.find((c) => birthYear < c.bornBefore) ??
    (NAME_COHORTS[NAME_COHORTS.length - 1] as NameCohort)
  );
}

export function drawSurname(rng: Rng, tables: NameTables): string {
  return sample(rng, tables.surnames);
}

export function drawGivenName(rng: Rng, sex: 'male' | 'female', birthYear: number): string {
  const cohort = cohortFor(birthYear);
  const list = sex === 'male' ? cohort.male : cohort.female;
  if (rng.chance(cohort.singleShare)) return rng.pick([...list.single]);
  // Half the double names are recombined from two single characters for variety (建华, 丽敏 …).
  if (rng.chance(0.5)) return rng.pick(list.double);
  const chars = [...list.single];
  return rng.pick(chars) + rng.pick(chars);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Hanyu pinyin without tones as on Chinese documents: family name and given name each one word,
 * capitalised ("Zhang", "Zihan"); ü is kept as "ü" (passports write "Lyu", clerks "Lv" or "Lu" —
 * those variants are what duplicate registrations get).
 */
export function toPinyin(tables: NameTables, text: string, isSurname: boolean): string {
  const key = (isSurname ? 's:' : 'g:') + text;
  const cached = tables.pinyinCache.get(key);
  if (cached !== undefined) return cached;
  const syllables = pinyin(text, {
    toneType: 'none',
    type: 'array',
    ...(isSurname ? { mode: 'surname' as const } : {}),
  });
  const value = capitalise(syllables.join(''));
  tables.pinyinCache.set(key, value);
  return value;
}
