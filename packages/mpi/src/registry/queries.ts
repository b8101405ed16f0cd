import type { Queryable } from '@yiyun/store';
import type { MatchRecord } from '../normalize/record.ts';

/** SQL of the registry's tables: parameterised, one statement per call, arrays bound with unnest. */

export interface StoredRecord {
  readonly record: MatchRecord;
  readonly personId: string;
  readonly kind: string;
}

export async function claimChanges(tx: Queryable, limit: number): Promise<string[]> {
  const rows = await tx.unsafe<{ rid: string }[]>(
    `delete from resource_change where seq in (
       select seq from resource_change where type = 'Patient' order by seq limit $1::int4 for update skip locked)
     returning rid::text`,
    [limit],
  );
  return [...new Set(rows.map((r) => r.rid))];
}

export interface PatientRow {
  rid: string;
  id: string;
  content: unknown;
  custodian: string | null;
  deleted: boolean;
}

export async function patientsByRid(tx: Queryable, rids: readonly string[]): Promise<PatientRow[]> {
  return tx.unsafe<PatientRow[]>(
    `select rid::text, id, content, custodian, deleted from resource
     where rid = any($1::int8[]) and type = 'Patient'`,
    [rids],
  );
}

export async function storedRecords(
  tx: Queryable,
  patientIds: readonly string[],
): Promise<Map<string, StoredRecord>> {
  if (patientIds.length === 0) return new Map();
  const rows = await tx.unsafe<
    { patient_id: string; person_id: string; link_kind: string; features: MatchRecord }[]
  >('select patient_id, person_id, link_kind, features from mpi_record where patient_id = any($1::text[])', [
    patientIds,
  ]);
  return new Map(
    rows.map((r) => [r.patient_id, { record: r.features, personId: r.person_id, kind: r.link_kind }]),
  );
}

/** Patient ids per blocking key (each block capped at `cap` members). */
export async function blockMembers(
  tx: Queryable,
  hashes: readonly string[],
  cap: number,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (hashes.length === 0) return out;
  const rows = await tx.unsafe<{ key: string; patient_id: string }[]>(
    `select k.key::text as key, b.patient_id from unnest($1::int8[]) as k(key)
     cross join lateral (select patient_id from mpi_block where key = k.key limit $2::int4) b`,
    [hashes, cap],
  );
  for (const r of rows) {
    const list = out.get(r.key) ?? [];
    list.push(r.patient_id);
    out.set(r.key, list);
  }
  return out;
}

export async function nonMatches(
  tx: Queryable,
  patientIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (patientIds.length === 0) return out;
  const rows = await tx.unsafe<{ patient_id: string; person_id: string }[]>(
    'select patient_id, person_id from mpi_nonmatch where patient_id = any($1::text[])',
    [patientIds],
  );
  for (const r of rows) out.set(r.patient_id, (out.get(r.patient_id) ?? new Set()).add(r.person_id));
  return out;
}

export async function nameFrequencies(tx: Queryable, keys: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx.unsafe<{ key: string; n: string }[]>(
    `select key, n::text from mpi_name_frequency where key = any($1::text[])`,
    [[...keys, '']],
  );
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

/** Member records of each of `personIds` that is a person (other ids are absent from the map). */
export async function personMembers(
  tx: Queryable,
  personIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (personIds.length === 0) return out;
  const rows = await tx.unsafe<{ person_id: string; patient_id: string }[]>(
    'select person_id, patient_id from mpi_record where person_id = any($1::text[])',
    [personIds],
  );
  for (const r of rows) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.patient_id]);
  return out;
}
