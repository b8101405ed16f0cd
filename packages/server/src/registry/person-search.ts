import type { Filter, SearchRequest, SearchValue } from '@yiyun/fhir';
import { personMembers, type ResidentRegistry } from '@yiyun/mpi';

type ReferenceValue = Extract<SearchValue, { kind: 'reference' }>;

const pointsAtPatient = (filter: Filter & { kind: 'param' }, v: ReferenceValue) =>
  v.targetId !== null &&
  (v.targetType === 'Patient' || (v.targetType === null && (filter.param.target ?? []).includes('Patient')));

function personCandidates(filters: readonly Filter[], out: Set<string>): void {
  for (const f of filters) {
    if (f.kind === 'param' && f.param.type === 'reference' && !f.modifier)
      for (const v of f.values) if (v.kind === 'reference' && pointsAtPatient(f, v)) out.add(v.targetId!);
    if (f.kind === 'chain' || f.kind === 'has') personCandidates([f.next], out);
  }
}

function expandFilter(
  f: Filter,
  members: ReadonlyMap<string, readonly string[]>,
  type: string | null,
): Filter {
  if (f.kind === 'chain') return { ...f, next: expandFilter(f.next, members, f.targetType) };
  if (f.kind === 'has') return { ...f, next: expandFilter(f.next, members, f.targetType) };
  if (f.kind !== 'param' || f.param.type !== 'reference' || f.modifier) return f;
  // Patient?link=Patient/<person>: the records linked to the person are its members themselves.
  if (type === 'Patient' && f.param.code === 'link') {
    const ids = f.values.flatMap((v) =>
      v.kind === 'reference' && v.targetId ? (members.get(v.targetId) ?? []) : [],
    );
    if (ids.length && f.values.every((v) => v.kind === 'reference' && members.has(v.targetId ?? '')))
      return { kind: 'id', ids };
    return f;
  }
  const values = f.values.flatMap((v): SearchValue[] => {
    const ids = v.kind === 'reference' && pointsAtPatient(f, v) ? members.get(v.targetId!) : undefined;
    // The person's own id stays: what names the person itself (an AuditEvent of a read of the
    // golden record, `Patient/<person>/$everything`) is found beside what names its records.
    return ids
      ? [
          v,
          ...ids.map(
            (id): SearchValue => ({ kind: 'reference', targetType: 'Patient', targetId: id, url: null }),
          ),
        ]
      : [v];
  });
  return { ...f, values };
}

/**
 * Search by golden person across institutions: a reference to `Patient/<person id>` (the golden
 * record) in any reference parameter stands for every source record linked to that person, so
 * `Observation?patient=<person>` returns the results filed under each institution's own record and
 * `Patient?link=Patient/<person>` returns those records, and a Patient compartment of a person
 * (`Patient/<person>/$everything`) is the compartments of its records. Access rules still apply
 * to each row.
 */
export async function expandPersonReferences(
  registry: ResidentRegistry,
  request: SearchRequest,
): Promise<SearchRequest> {
  const candidates = new Set<string>();
  personCandidates(request.filters, candidates);
  const compartment = request.compartment?.type === 'Patient' ? request.compartment : undefined;
  if (compartment) candidates.add(compartment.id);
  if (candidates.size === 0) return request;
  const members = await personMembers(registry.queryable, [...candidates]);
  if (members.size === 0) return request;
  const focal = compartment ? members.get(compartment.id) : undefined;
  return {
    ...request,
    filters: request.filters.map((f) => expandFilter(f, members, request.resourceType)),
    // Patient/<person>/$everything: the compartments of all the person's records.
    ...(compartment && focal ? { compartment: { ...compartment, members: focal } } : {}),
  };
}
