import type { Resource } from '@medplum/fhirtypes';
import { type AccessFacts, AppError, type IndexEntry } from '@yiyun/fhir';
import { accessColumns } from '../indexing/index-resource.ts';
import { deleteIndexRows, writeIndexRows } from '../indexing/write-index.ts';
import type { Queryable } from '../sql/connect.ts';
import type { StoredResource } from './port.ts';
import { isUniqueViolation } from './rows.ts';

export interface PendingCreate {
  readonly resource: StoredResource;
  readonly entries: readonly IndexEntry[];
  readonly access: AccessFacts;
}

/** Stamps id, version and time into a copy of the resource, as it will be stored. */
export function stamp(
  resource: Resource,
  id: string,
  versionId: number,
  lastUpdated: string,
): StoredResource {
  return {
    ...resource,
    id,
    meta: { ...resource.meta, versionId: String(versionId), lastUpdated },
  } as StoredResource;
}

/** Inserts new resources (version 1) and their index rows: two statements whatever the batch size. */
export async function insertResources(tx: Queryable, batch: readonly PendingCreate[]): Promise<void> {
  if (batch.length === 0) return;
  const types: string[] = [];
  const ids: string[] = [];
  const versions: number[] = [];
  const times: string[] = [];
  const contents: string[] = [];
  const custodians: (string | null)[] = [];
  const patients: (string | null)[] = [];
  const labels: (string | null)[] = [];
  for (const { resource, access } of batch) {
    types.push(resource.resourceType);
    ids.push(resource.id);
    versions.push(Number(resource.meta.versionId));
    times.push(resource.meta.lastUpdated);
    contents.push(JSON.stringify(resource));
    const [custodian, patient, label] = accessColumns(access);
    custodians.push(custodian);
    patients.push(patient);
    labels.push(label);
  }
  let rows: { rid: string; type: string; id: string }[];
  try {
    rows = await tx.unsafe(
      `insert into resource (type, id, version_id, last_updated, content, custodian, patient_id, labels)
       select u.t, u.i, u.v, u.l, u.c::jsonb, u.o, u.p, u.s::text[]
       from unnest($1::text[], $2::text[], $3::int4[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
         $8::text[]) as u(t, i, v, l, c, o, p, s)
       returning rid, type, id`,
      [types, ids, versions, times, contents, custodians, patients, labels],
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', 'A resource with this id already exists');
    throw err;
  }
  const ridByKey = new Map(rows.map((r) => [`${r.type}/${r.id}`, r.rid]));
  await writeIndexRows(
    tx,
    batch.map(({ resource, entries, access }) => ({
      rid: ridByKey.get(`${resource.resourceType}/${resource.id}`)!,
      resourceType: resource.resourceType,
      entries,
      access,
    })),
  );
}

export interface CurrentRow {
  readonly rid: string;
  readonly version_id: number;
  readonly deleted: boolean;
}

/** Locks and returns the current row of a resource, or undefined. */
export async function lockCurrent(tx: Queryable, type: string, id: string): Promise<CurrentRow | undefined> {
  const rows = await tx.unsafe<CurrentRow[]>(
    'select rid, version_id, deleted from resource where type = $1::text and id = $2::text for update',
    [type, id],
  );
  return rows[0];
}

/**
 * Replaces the current version: the old row moves to history, the new content and its index rows
 * take its place. `next` is null for a delete.
 */
export async function replaceCurrent(
  tx: Queryable,
  current: CurrentRow,
  next: PendingCreate | { deletedAt: string },
): Promise<void> {
  const isDelete = 'deletedAt' in next;
  const versionId = current.version_id + 1;
  const lastUpdated = isDelete ? next.deletedAt : next.resource.meta.lastUpdated;
  const content = isDelete ? null : JSON.stringify(next.resource);
  // A deleted version keeps its custodian and patient, so that its history obeys the same rules.
  const [custodian, patient, labels] = isDelete ? [null, null, null] : accessColumns(next.access);
  await tx.unsafe(
    `with h as (
       insert into resource_history (type, id, version_id, last_updated, deleted, content)
       select type, id, version_id, last_updated, deleted, content from resource where rid = $1::int8
     )
     update resource set version_id = $2::int4, last_updated = $3::timestamptz, deleted = $4::bool,
       content = $5::text::jsonb, custodian = coalesce($6::text, custodian),
       patient_id = coalesce($7::text, patient_id), labels = case when $4::bool then labels else $8::text[] end
     where rid = $1::int8`,
    [current.rid, versionId, lastUpdated, isDelete, content, custodian, patient, labels],
  );
  if (!current.deleted) await deleteIndexRows(tx, [current.rid]);
  if (!isDelete) {
    await writeIndexRows(tx, [
      {
        rid: current.rid,
        resourceType: next.resource.resourceType,
        entries: next.entries,
        access: next.access,
      },
    ]);
  }
}
