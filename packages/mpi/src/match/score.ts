import type { MatchRecord } from '../normalize/record.ts';
import {
  type ComparisonVector,
  compareRecords,
  FIELD_LEVELS,
  FIELDS,
  type FieldName,
  isCertainMatch,
} from './fields.ts';
import type { MatchModel } from './model.ts';

/** One field's contribution to a decision, as shown to reviewers and in `$match` results. */
export interface FieldEvidence {
  readonly field: FieldName;
  /** The agreement level, or null when either record lacks the field. */
  readonly level: string | null;
  /** log2(m/u) in bits, including any frequency adjustment. */
  readonly weight: number;
  /** Bits added (rare name) or removed (common name) by the name's frequency in the registry. */
  readonly frequencyAdjustment?: number;
}

export interface PairScore {
  /** Total match weight in bits. */
  readonly weight: number;
  /** Posterior probability that the two records are the same person. */
  readonly probability: number;
  /** Linked by the deterministic rule (same valid ID number, consistent birth date and sex). */
  readonly certain: boolean;
  readonly evidence: readonly FieldEvidence[];
}

/**
 * How common a name is: the share of registry records with that name key. Supplied by the caller
 * (the registry keeps counts); `undefined` = unknown, no adjustment.
 */
export type NameFrequency = (key: string) => number | undefined;

/** Frequency adjustment bounds (bits): a unique name cannot outweigh a contradicting birth date. */
const MAX_BOOST = 3;
const MAX_PENALTY = 6;

function frequencyAdjustment(model: MatchModel, level: number, freq: number | undefined): number {
  if (freq === undefined || freq <= 0 || level > 1) return 0;
  const u = model.fields.name.u[level] ?? 1;
  return Math.max(-MAX_PENALTY, Math.min(MAX_BOOST, Math.log2(u / freq)));
}

export function scoreVector(
  model: MatchModel,
  v: ComparisonVector,
  options: { nameFrequency?: number; certain?: boolean } = {},
): PairScore {
  let weight = 0;
  const evidence: FieldEvidence[] = [];
  for (const field of FIELDS) {
    const level = v[field];
    if (level < 0) {
      evidence.push({ field, level: null, weight: 0 });
      continue;
    }
    const p = model.fields[field];
    let w = Math.log2((p.m[level] ?? 1e-9) / (p.u[level] ?? 1));
    const adj = field === 'name' ? frequencyAdjustment(model, level, options.nameFrequency) : 0;
    w += adj;
    weight += w;
    evidence.push({
      field,
      level: FIELD_LEVELS[field][level] ?? null,
      weight: round(w),
      ...(adj ? { frequencyAdjustment: round(adj) } : {}),
    });
  }
  const priorOdds = Math.log2(model.prior / (1 - model.prior));
  const probability = 1 / (1 + 2 ** -(weight + priorOdds));
  const certain = options.certain ?? false;
  return {
    weight: round(weight),
    probability: certain ? Math.max(probability, 0.9999) : probability,
    certain,
    evidence,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Compares and scores a pair of records; `frequency` gives the share of records with a name key. */
export function scorePair(
  model: MatchModel,
  a: MatchRecord,
  b: MatchRecord,
  frequency?: NameFrequency,
): PairScore {
  const v = compareRecords(a, b);
  const nameFrequency = v.name <= 1 && frequency && a.name ? frequency(a.name.frequencyKey) : undefined;
  return scoreVector(model, v, {
    certain: isCertainMatch(a, b, v),
    ...(nameFrequency !== undefined ? { nameFrequency } : {}),
  });
}
