import type { MatchRecord } from '../normalize/record.ts';
import { blockingKeys } from './blocking.ts';
import {
  type ComparisonVector,
  compareRecords,
  FIELD_LEVELS,
  FIELDS,
  type FieldName,
  perField,
} from './fields.ts';
import type { FieldParameters, MatchModel } from './model.ts';

/** A deterministic PRNG (mulberry32) so that training on the same data gives the same model. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function countLevels(vectors: Iterable<ComparisonVector>): Record<FieldName, number[]> {
  const counts = perField((f) => FIELD_LEVELS[f].map(() => 0));
  for (const v of vectors) for (const f of FIELDS) if (v[f] >= 0) counts[f][v[f]]!++;
  return counts;
}

/** Smoothed proportions (add-½) so that no level has probability 0. */
function proportions(counts: readonly number[], floor = 1e-9): number[] {
  const total = counts.reduce((a, b) => a + b, 0) + counts.length * 0.5;
  return counts.map((c) => Math.max(floor, (c + 0.5) / total));
}

/**
 * u from random pairs: almost every random pair is two different people, so the level frequencies
 * among them estimate u (as Splink and fastLink do), leaving EM to estimate m and λ.
 */
export function estimateU(
  records: readonly MatchRecord[],
  pairs: number,
  seed = 1,
): Record<FieldName, number[]> {
  const next = random(seed);
  const vectors: ComparisonVector[] = [];
  const n = records.length;
  for (let k = 0; k < pairs && n > 1; k++) {
    const i = Math.floor(next() * n);
    let j = Math.floor(next() * (n - 1));
    if (j >= i) j++;
    vectors.push(compareRecords(records[i]!, records[j]!));
  }
  const counts = countLevels(vectors);
  return perField((f) => proportions(counts[f], 1 / (pairs * 10)));
}

/** Candidate pairs within blocks of the given kinds (key prefixes), capped per block, grouped by pattern. */
export function candidatePatterns(
  records: readonly MatchRecord[],
  prefixes: readonly string[],
  maxBlock = 50,
): Map<string, number> {
  const blocks = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const key of blockingKeys(r)) {
      if (!prefixes.some((p) => key.startsWith(p))) continue;
      const list = blocks.get(key) ?? [];
      if (list.length < maxBlock) list.push(i);
      blocks.set(key, list);
    }
  });
  const seen = new Set<number>();
  const patterns = new Map<string, number>();
  for (const list of blocks.values()) {
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const pair = list[x]! * records.length + list[y]!;
        if (seen.has(pair)) continue;
        seen.add(pair);
        const v = compareRecords(records[list[x]!]!, records[list[y]!]!);
        const key = FIELDS.map((f) => v[f]).join(',');
        patterns.set(key, (patterns.get(key) ?? 0) + 1);
      }
  }
  return patterns;
}

type Levels = Record<FieldName, number[]>;

/** One EM session on the pairs of some blocks: m and the share of matches, u held fixed. */
function emSession(
  patterns: Map<string, number>,
  u: Levels,
  startM: Levels,
  maxIterations: number,
): { m: Levels; matchShare: number; pairs: number; iterations: number } {
  const list = [...patterns].map(([key, count]) => ({ levels: key.split(',').map(Number), count }));
  const pairs = list.reduce((a, p) => a + p.count, 0);
  let m = startM;
  let share = 0.5;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const counts: Levels = perField((f) => FIELD_LEVELS[f].map(() => 0));
    let matches = 0;
    for (const p of list) {
      let lm = Math.log(share);
      let lu = Math.log(1 - share);
      FIELDS.forEach((f, i) => {
        const level = p.levels[i]!;
        if (level < 0) return;
        lm += Math.log(m[f][level]!);
        lu += Math.log(u[f][level]!);
      });
      const g = 1 / (1 + Math.exp(lu - lm));
      matches += g * p.count;
      FIELDS.forEach((f, i) => {
        const level = p.levels[i]!;
        if (level >= 0) counts[f][level]! += g * p.count;
      });
    }
    const next: Levels = perField((f) => proportions(counts[f], 1e-6));
    const nextShare = Math.min(1 - 1e-6, Math.max(1e-6, matches / Math.max(1, pairs)));
    const delta =
      Math.abs(nextShare - share) + FIELDS.reduce((a, f) => a + Math.abs(next[f][0]! - m[f][0]!), 0);
    m = next;
    share = nextShare;
    if (delta < 1e-7) break;
  }
  return { m, matchShare: share, pairs, iterations };
}

export interface TrainingReport {
  readonly model: MatchModel;
  readonly records: number;
  readonly pairs: number;
  readonly iterations: number;
}

/**
 * The blocking of each EM session and the fields it estimates: a field's m is learnt only from
 * pairs not selected by agreement on that field (selecting on it would make it look perfect), as
 * Splink does. Pairs sharing an ID number are nearly all matches and teach names, dates and contact
 * fields; pairs sharing a name and birth year teach the identifiers.
 */
const SESSIONS: readonly { prefixes: readonly string[]; estimates: readonly FieldName[] }[] = [
  {
    prefixes: ['i:'],
    estimates: ['name', 'birthDate', 'gender', 'phone', 'address', 'healthCard', 'document'],
  },
  {
    prefixes: ['n:', 'd:'],
    estimates: ['residentId', 'healthCard', 'document', 'phone', 'address', 'gender'],
  },
];

/**
 * Expectation–maximisation for the two-class latent model with conditional independence
 * (Winkler 1988; Jaro 1989): u from random pairs, m by EM in sessions of different blockings, and
 * λ (the chance that two random records match) from the pairs sharing an ID number divided by how
 * often matches share one.
 */
export function trainModel(
  records: readonly MatchRecord[],
  start: MatchModel,
  options: { randomPairs?: number; maxIterations?: number; today?: string } = {},
): TrainingReport {
  const u = estimateU(records, options.randomPairs ?? 200_000);
  const sums: Levels = perField((f) => FIELD_LEVELS[f].map(() => 0));
  const sessions = perField(() => 0);
  const startM: Levels = perField((f) => [...start.fields[f].m]);
  let pairs = 0;
  let iterations = 0;
  let idMatches = 0;
  for (const session of SESSIONS) {
    const patterns = candidatePatterns(records, session.prefixes);
    const result = emSession(patterns, u, startM, options.maxIterations ?? 200);
    pairs += result.pairs;
    iterations += result.iterations;
    if (session.prefixes.includes('i:')) idMatches = result.matchShare * result.pairs;
    for (const f of session.estimates) {
      result.m[f].forEach((x, i) => {
        sums[f][i]! += x;
      });
      sessions[f]++;
    }
  }
  const m: Levels = perField((f) => (sessions[f] ? sums[f].map((x) => x / sessions[f]) : startM[f]));
  const idAgreement = m.residentId[0] ?? 0.9;
  const allPairs = (records.length * (records.length - 1)) / 2;
  const prior = Math.min(
    0.5,
    Math.max(1e-12, idMatches / Math.max(idAgreement, 0.05) / Math.max(1, allPairs)),
  );
  const fields = perField((f): FieldParameters => ({ m: m[f], u: u[f] }));
  const date = options.today ?? new Date().toISOString().slice(0, 10);
  return {
    model: { ...start, fields, prior, source: `em:${records.length}:${pairs}:${date}` },
    records: records.length,
    pairs,
    iterations,
  };
}
