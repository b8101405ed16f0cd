/**
 * Transaction processing order (http://hl7.org/fhir/R4/http.html#trules): DELETE, then POST, then
 * PUT/PATCH, then GET/HEAD; the original order is kept within each group.
 */
const RANK: Readonly<Record<string, number>> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

/** The entry indexes in processing order. Unknown methods go last (they fail when run). */
export function orderEntries(methods: readonly string[]): number[] {
  return methods
    .map((method, index) => ({ index, rank: RANK[method] ?? 4 }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.index);
}
