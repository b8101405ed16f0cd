import { FIELD_LEVELS, FIELDS, type FieldName } from './fields.ts';

/** m = P(level | same person), u = P(level | different persons), per level of each field. */
export interface FieldParameters {
  readonly m: readonly number[];
  readonly u: readonly number[];
}

/**
 * The Fellegi–Sunter model (Fellegi & Sunter 1969, "A theory for record linkage", JASA 64):
 * per-field m/u probabilities, the prior probability λ that two records drawn at random are the
 * same person (u and λ both refer to random pairs, so blocking does not change a pair's
 * probability), and the decision thresholds on the posterior match probability.
 */
export interface MatchModel {
  readonly fields: Readonly<Record<FieldName, FieldParameters>>;
  /** λ: probability that two records drawn at random are the same person. */
  readonly prior: number;
  readonly thresholds: {
    /** At or above: linked automatically. */
    readonly autoLink: number;
    /** At or above (below autoLink): a possible match for a person to review. */
    readonly review: number;
  };
  /** Where the parameters came from: `default` or `em:<records>:<pairs>:<date>`. */
  readonly source: string;
}

/**
 * Starting parameters before the registry has data to learn from (`yiyun mpi train` re-estimates
 * them by EM). Set from what is known of the fields at city scale, not from any test data: an ID
 * number agrees by chance about once in ten million pairs and a phone number about once in a
 * million (a passport number likewise, but renewals make it differ for one duplicate in five); one registration in ~25 mistypes a date part; names agree by chance about once in a few
 * thousand pairs; λ ≈ 0.3 duplicate per record over ~5·10¹² pairs of a 3.3 M-record region.
 */
export const DEFAULT_MODEL: MatchModel = {
  fields: {
    residentId: { m: [0.95, 0.04, 0.01], u: [1e-7, 2e-6, 0.999998] },
    healthCard: { m: [0.9, 0.1], u: [1e-7, 0.9999999] },
    // Passports are renewed every 5–10 years: a duplicate often carries a newer number.
    document: { m: [0.8, 0.2], u: [1e-7, 0.9999999] },
    name: { m: [0.8, 0.12, 0.05, 0.02, 0.01], u: [3e-4, 2e-4, 2e-3, 0.05, 0.9475] },
    birthDate: { m: [0.93, 0.02, 0.04, 0.005, 0.005], u: [4e-5, 4e-5, 1e-3, 0.012, 0.98692] },
    gender: { m: [0.995, 0.005], u: [0.5, 0.5] },
    phone: { m: [0.7, 0.3], u: [1e-6, 0.999999] },
    address: { m: [0.6, 0.25, 0.15], u: [1e-3, 0.15, 0.849] },
  },
  prior: 1e-7,
  thresholds: { autoLink: 0.995, review: 0.6 },
  source: 'default',
};

/** Checks a model read from storage or configuration: every field, every level, probabilities in (0, 1]. */
export function isMatchModel(value: unknown): value is MatchModel {
  const m = value as MatchModel;
  if (!m || typeof m !== 'object' || typeof m.prior !== 'number' || !m.fields || !m.thresholds) return false;
  const ok = (p: unknown, n: number) =>
    Array.isArray(p) && p.length === n && p.every((x) => typeof x === 'number' && x > 0 && x <= 1);
  return FIELDS.every(
    (f) => ok(m.fields[f]?.m, FIELD_LEVELS[f].length) && ok(m.fields[f]?.u, FIELD_LEVELS[f].length),
  );
}

/**
 * A stored model from before a field existed: the missing fields take the default parameters,
 * so an upgrade keeps what EM learnt about the others. Anything else malformed is rejected.
 */
export function upgradeModel(value: unknown): MatchModel | null {
  const m = value as MatchModel;
  if (!m || typeof m !== 'object' || !m.fields || typeof m.fields !== 'object') return null;
  const fields = Object.fromEntries(
    FIELDS.map((f) => [f, m.fields[f] ?? DEFAULT_MODEL.fields[f]]),
  ) as MatchModel['fields'];
  const upgraded = { ...m, fields };
  return isMatchModel(upgraded) ? upgraded : null;
}

export function withThresholds(model: MatchModel, thresholds: Partial<MatchModel['thresholds']>): MatchModel {
  return { ...model, thresholds: { ...model.thresholds, ...thresholds } };
}
