/** Pairwise linkage quality of a clustering against the truth (pairs of records in one cluster). */
export interface LinkageQuality {
  readonly records: number;
  readonly truePairs: number;
  readonly linkedPairs: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Records placed with a person they do not belong to (cluster size minus its largest true group). */
  readonly falseMerges: number;
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

export function linkageQuality(predicted: Map<string, string>, truth: Map<string, string>): LinkageQuality {
  const byPredicted = new Map<string, string[]>();
  for (const [patient, person] of predicted)
    byPredicted.set(person, [...(byPredicted.get(person) ?? []), patient]);
  let linked = 0;
  let correct = 0;
  let falseMerges = 0;
  for (const members of byPredicted.values()) {
    linked += pairs(members.length);
    const groups = new Map<string, number>();
    for (const m of members) groups.set(truth.get(m) ?? m, (groups.get(truth.get(m) ?? m) ?? 0) + 1);
    for (const n of groups.values()) correct += pairs(n);
    falseMerges += members.length - Math.max(...groups.values());
  }
  const byTrue = new Map<string, number>();
  for (const patient of predicted.keys()) {
    const t = truth.get(patient) ?? patient;
    byTrue.set(t, (byTrue.get(t) ?? 0) + 1);
  }
  let truePairs = 0;
  for (const n of byTrue.values()) truePairs += pairs(n);
  const precision = linked === 0 ? 1 : correct / linked;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  return {
    records: predicted.size,
    truePairs,
    linkedPairs: linked,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    falseMerges,
  };
}
