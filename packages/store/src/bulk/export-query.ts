import { compartmentParams } from '@yiyun/fhir';
import { type AccessScope, accessPredicate, arrayParams } from '../access/index.ts';
import { paramKey } from '../indexing/param-key.ts';
import type { StoredResource } from '../repository/port.ts';
import type { Queryable } from '../sql/connect.ts';

export interface ExportScope {
  /** `system`: everything; `patient`: the Patient compartment (of `patientIds` when given). */
  readonly level: 'system' | 'patient';
  readonly patientIds?: readonly string[];
  /** Only versions changed at or after this instant. */
  readonly since?: string;
  /** What the requester may see: an export holds exactly what their searches would return. */
  readonly access?: AccessScope;
}

const PAGE = 1_000;

/** Whether a type has any place in the Patient compartment (what a Patient-level export covers). */
export function inPatientCompartment(type: string): boolean {
  return type === 'Patient' || compartmentParams('Patient', type).length > 0;
}

function scopeClause(type: string, scope: ExportScope, params: unknown[]): string {
  const add = (v: unknown, cast: string) => {
    params.push(v);
    return `$${params.length}::${cast}`;
  };
  const clauses = [`r.type = ${add(type, 'text')}`, 'not r.deleted'];
  if (scope.since) clauses.push(`r.last_updated >= ${add(scope.since, 'timestamptz')}`);
  if (scope.level === 'patient') {
    const ids = scope.patientIds;
    if (type === 'Patient') {
      if (ids) clauses.push(`r.id = any(${add(ids, 'text[]')})`);
    } else {
      const keys = compartmentParams('Patient', type).map((code) => paramKey(type, code));
      const target = ids ? ` and s.target_id = any(${add(ids, 'text[]')})` : '';
      clauses.push(
        `r.rid in (select s.rid from sp_reference s where s.target_type = 'Patient'
          and s.param = any(${add(keys, 'int4[]')})${target})`,
      );
    }
  }
  const visible = accessPredicate(scope.access, 'r', arrayParams(params));
  if (visible) clauses.push(visible);
  return clauses.join(' and ');
}

/**
 * Streams the current resources of one type in `rid` order, a page at a time. Keyset paging keeps
 * every query short, so an export never holds the embedded database's only connection for long.
 */
export async function* exportResources(
  q: Queryable,
  type: string,
  scope: ExportScope,
): AsyncGenerator<StoredResource[]> {
  let after = '0';
  for (;;) {
    const params: unknown[] = [];
    const where = scopeClause(type, scope, params);
    params.push(after, PAGE);
    const rows = await q.unsafe<{ rid: string; content: StoredResource }[]>(
      `select r.rid, r.content from resource r where ${where} and r.rid > $${params.length - 1}::int8
       order by r.rid limit $${params.length}::int4`,
      params,
    );
    if (rows.length === 0) return;
    yield rows.map((r) => r.content);
    after = rows[rows.length - 1]!.rid;
    if (rows.length < PAGE) return;
  }
}

/**
 * Resource types that have rows (possibly only deleted ones). A loose index scan over the
 * (type, last_updated) index: one probe per type instead of reading every row.
 */
export async function typesWithData(q: Queryable): Promise<string[]> {
  const rows = await q.unsafe<{ type: string }[]>(
    `with recursive t(type) as (
       select min(type) from resource
       union all
       select (select min(r.type) from resource r where r.type > t.type) from t where t.type is not null)
     select type from t where type is not null`,
  );
  return rows.map((r) => r.type);
}
