import type { WrappedKey } from '../crypto/port.ts';
import { type CatalogRow, type Sql, toRow } from './catalog.ts';

/** What the lifecycle asks of the catalog: studies due to move, and leases on their objects. */
export interface MoveWindow {
  /** Objects created before this. */
  readonly createdBefore: Date;
  /** Objects last read before this. */
  readonly accessedBefore: Date;
  /** Backend name of the hot tier. */
  readonly hot: string;
}

/**
 * Studies every object of which is older than the window and idle, and at least one of which still
 * has a hot copy; in StudyInstanceUID order after `after` (keyset paging).
 */
export async function dueStudies(sql: Sql, w: MoveWindow, after: string, limit: number): Promise<string[]> {
  const rows = await sql<{ study_uid: string }[]>`
    select distinct o.study_uid from image_object o
    where o.study_uid > ${after} and ${w.hot} = any(o.copies)
      and o.created_at < ${w.createdBefore} and o.last_access_at < ${w.accessedBefore}
      and not exists (select 1 from image_object n where n.study_uid = o.study_uid
        and (n.created_at >= ${w.createdBefore} or n.last_access_at >= ${w.accessedBefore}))
    order by o.study_uid limit ${limit}`;
  return rows.map((r) => r.study_uid);
}

/**
 * Leases the study's objects that still have a hot copy, skipping rows another worker holds (a live
 * lease, or a row lock of a concurrent claim: `for update skip locked`). The lease, not a long
 * transaction, covers the copying, so no connection is held during blob I/O.
 */
export async function claimStudy(
  sql: Sql,
  options: MoveWindow & { study: string; now: Date; leaseUntil: Date },
): Promise<CatalogRow[]> {
  const { study, hot, now, leaseUntil, createdBefore, accessedBefore } = options;
  const rows = await sql<Parameters<typeof toRow>[0][]>`
    update image_object set lease_until = ${leaseUntil}
    where key in (select key from image_object
      where study_uid = ${study} and ${hot} = any(copies) and created_at < ${createdBefore}
        and last_access_at < ${accessedBefore} and (lease_until is null or lease_until < ${now})
      for update skip locked)
    returning *`;
  return rows.map(toRow);
}

/**
 * Ends a move: adds the cold copies made, and when `evict` drops the hot copy and marks the object
 * cold. Matches nothing (returns false) when the object was overwritten or re-read meanwhile.
 */
export async function finishMove(
  sql: Sql,
  options: { key: string; blobKey: string; added: readonly string[]; evict?: string; accessedBefore: Date },
): Promise<boolean> {
  const { key, blobKey, added, evict, accessedBefore } = options;
  const remove = evict === undefined ? [] : [evict];
  const rows = await sql`
    update image_object set lease_until = null,
      copies = coalesce((select array_agg(distinct c) from unnest(array_cat(copies, ${added as string[]}::text[])) as c
        where c <> all(${remove}::text[])), '{}'),
      tier = case when ${evict !== undefined} then 'cold' else tier end
    where key = ${key} and blob_key = ${blobKey}
      and (${evict === undefined} or last_access_at < ${accessedBefore})
    returning key`;
  return rows.length > 0;
}

/** Rows whose data key is not wrapped by `current` (rotation), in key order after `after`. */
export async function keysToRewrap(
  sql: Sql,
  current: string,
  after: string,
  limit: number,
): Promise<{ key: string; blobKey: string; wrapped: WrappedKey }[]> {
  const rows = await sql<Parameters<typeof toRow>[0][]>`
    select * from image_object where master_key_id <> ${current} and cipher_suite <> 'none'
      and key > ${after} order by key limit ${limit}`;
  return rows.map(toRow).map((r) => ({ key: r.key, blobKey: r.blobKey, wrapped: r.wrapped }));
}

/** Saves re-wrapped data keys in one statement (skipping objects overwritten meanwhile). */
export async function saveRewrapped(
  sql: Sql,
  items: readonly { key: string; blobKey: string; wrapped: WrappedKey }[],
): Promise<number> {
  if (items.length === 0) return 0;
  const keys = items.map((i) => i.key);
  const blobKeys = items.map((i) => i.blobKey);
  const masters = items.map((i) => i.wrapped.masterKeyId);
  const hex = items.map((i) => Buffer.from(i.wrapped.wrapped).toString('hex'));
  const rows = await sql`
    update image_object o set master_key_id = v.m, wrapped_key = decode(v.w, 'hex')
    from unnest(${keys}::text[], ${blobKeys}::text[], ${masters}::text[], ${hex}::text[]) as v(k, b, m, w)
    where o.key = v.k and o.blob_key = v.b
    returning o.key`;
  return rows.length;
}

export async function addGarbage(sql: Sql, blobKey: string, backends: readonly string[]): Promise<void> {
  if (backends.length === 0) return;
  await sql`insert into image_object_garbage (blob_key, backend)
    select ${blobKey}, b from unnest(${backends as string[]}::text[]) as b on conflict do nothing`;
}

export async function garbagePage(sql: Sql, limit: number): Promise<{ blobKey: string; backend: string }[]> {
  const rows = await sql<{ blob_key: string; backend: string }[]>`
    select blob_key, backend from image_object_garbage order by since limit ${limit}`;
  return rows.map((r) => ({ blobKey: r.blob_key, backend: r.backend }));
}

/** Whether a row lists the blob on the backend again (a re-cache after an eviction wrote it back). */
export async function isListed(sql: Sql, key: string, blobKey: string, backend: string): Promise<boolean> {
  const rows = await sql`select 1 from image_object
    where key = ${key} and blob_key = ${blobKey} and ${backend} = any(copies)`;
  return rows.length > 0;
}

export async function dropGarbage(sql: Sql, blobKey: string, backend: string): Promise<void> {
  await sql`delete from image_object_garbage where blob_key = ${blobKey} and backend = ${backend}`;
}
