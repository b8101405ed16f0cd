import type { MatchRecord } from '../normalize/record.ts';
import type { MatchModel } from './model.ts';
import { type NameFrequency, type PairScore, scorePair } from './score.ts';

/** A record already in the registry, with the regional person it is linked to. */
export interface Candidate {
  readonly record: MatchRecord;
  readonly personId: string;
}

/** The best-scoring record of one candidate person. */
export interface PersonMatch {
  readonly personId: string;
  readonly patientId: string;
  readonly score: PairScore;
}

export type Decision =
  | { readonly outcome: 'link'; readonly person: PersonMatch; readonly others: readonly PersonMatch[] }
  | { readonly outcome: 'review'; readonly possible: readonly PersonMatch[] }
  | { readonly outcome: 'new'; readonly nearest?: PersonMatch };

/** Scores every candidate and keeps each person's best record, best person first. */
export function rankPersons(
  model: MatchModel,
  record: MatchRecord,
  candidates: readonly Candidate[],
  frequency?: NameFrequency,
): PersonMatch[] {
  const best = new Map<string, PersonMatch>();
  for (const c of candidates) {
    if (c.record.id === record.id) continue;
    const score = scorePair(model, record, c.record, frequency);
    const prev = best.get(c.personId);
    if (!prev || better(score, prev.score))
      best.set(c.personId, { personId: c.personId, patientId: c.record.id, score });
  }
  return [...best.values()].sort((a, b) =>
    better(a.score, b.score) ? -1 : better(b.score, a.score) ? 1 : 0,
  );
}

function better(a: PairScore, b: PairScore): boolean {
  if (a.certain !== b.certain) return a.certain;
  return a.weight > b.weight;
}

/**
 * What a probabilistic auto-link also needs: the name and birth date agree at least closely and the
 * two records do not carry different valid ID numbers. Households share phones and addresses and
 * often surnames, which breaks the model's independence assumption; these identity fields are what
 * tell a mother from her daughter, so contact fields alone never link two records.
 */
function hasIdentityAgreement(score: PairScore): boolean {
  const level = (field: string) => score.evidence.find((e) => e.field === field)?.level ?? null;
  const name = level('name');
  const birth = level('birthDate');
  const okName = name === 'same-characters' || name === 'same-pinyin' || name === 'similar';
  const okBirth = birth === 'exact' || birth === 'day-month-swapped' || birth === 'one-part-differs';
  return okName && okBirth && level('residentId') !== 'different';
}

/**
 * Auto-link when one person is certain, or above the auto-link threshold with identity agreement
 * and no other person close; a possible match (or two persons competing) goes to review;
 * otherwise a new person.
 */
export function decide(model: MatchModel, ranked: readonly PersonMatch[]): Decision {
  const { autoLink, review } = model.thresholds;
  const [top, second] = ranked;
  if (!top || top.score.probability < review)
    return top ? { outcome: 'new', nearest: top } : { outcome: 'new' };
  const contested = second !== undefined && (second.score.certain || second.score.probability >= review);
  const possible = ranked.filter((p) => p.score.certain || p.score.probability >= review).slice(0, 5);
  if (top.score.certain && !second?.score.certain)
    return { outcome: 'link', person: top, others: possible.slice(1) };
  if (top.score.probability >= autoLink && !contested && hasIdentityAgreement(top.score))
    return { outcome: 'link', person: top, others: [] };
  return { outcome: 'review', possible };
}
