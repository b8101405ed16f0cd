import type { Database } from '@yiyun/store';
import type { CipherSuite, WrappedKey } from '../crypto/port.ts';
import { GroupCommit } from './group-commit.ts';

export type Sql = Database['sql'];

/** 'hot': the object should have a hot copy; 'cold': the lifecycle evicted it (cold copies count). */
export type Tier = 'hot' | 'cold';

/** One stored object as the catalog records it (table `image_object`, migrations.ts). */
export interface CatalogEntry {
  readonly key: string;
  readonly study: string;
  readonly blobKey: string;
  readonly plainSize: number;
  readonly storedSize: number;
  readonly sha256: Uint8Array;
  readonly wrapped: WrappedKey;
  readonly copies: readonly string[];
  readonly tier: Tier;
  readonly createdAt: Date;
  readonly lastAccessAt: Date;
}

export interface CatalogRow extends CatalogEntry {
  /** The blob an overwrite replaced and where its copies were, until they are deleted. */
  readonly replaced?: { readonly blobKey: string; readonly copies: readonly string[] };
}

export interface CopyChange {
  readonly remove?: readonly string[];
  readonly add?: readonly string[];
  readonly tier?: Tier;
}

interface RawRow {
  key: string;
  study_uid: string;
  blob_key: string;
  plain_size: string | number;
  stored_size: string | number;
  sha256: Uint8Array;
  cipher_suite: string;
  master_key_id: string;
  wrapped_key: Uint8Array;
  copies: string[];
  tier: string;
  created_at: Date;
  last_access_at: Date;
  replaced_blob_key: string | null;
  replaced_copies: string[] | null;
}

export function toRow(raw: RawRow): CatalogRow {
  const base: CatalogEntry = {
    key: raw.key,
    study: raw.study_uid,
    blobKey: raw.blob_key,
    plainSize: Number(raw.plain_size),
    storedSize: Number(raw.stored_size),
    sha256: raw.sha256,
    wrapped: {
      suite: raw.cipher_suite as CipherSuite,
      masterKeyId: raw.master_key_id,
      wrapped: raw.wrapped_key,
    },
    copies: raw.copies,
    tier: raw.tier === 'cold' ? 'cold' : 'hot',
    createdAt: raw.created_at,
    lastAccessAt: raw.last_access_at,
  };
  if (raw.replaced_blob_key === null) return base;
  return { ...base, replaced: { blobKey: raw.replaced_blob_key, copies: raw.replaced_copies ?? [] } };
}

/**
 * The placement records of the image store. Every change of `copies` is one conditional statement
 * keyed on (key, blob_key): a change meant for a version of the object that was overwritten since
 * matches nothing, and concurrent changes from several replicas compose (array arithmetic in SQL,
 * not read-modify-write in the process).
 */
export class ObjectCatalog {
  readonly sql: Sql;
  readonly #upserts: GroupCommit<CatalogEntry, CatalogRow['replaced']>;
  readonly #gets: GroupCommit<string, CatalogRow | undefined>;

  constructor(sql: Sql) {
    this.sql = sql;
    this.#upserts = new GroupCommit({
      keyOf: (e) => e.key,
      run: async (batch) => {
        const results = await this.upsertMany(batch);
        return batch.map((e) => results.get(e.key));
      },
    });
    // A WADO-RS study retrieve reads several objects ahead: their rows come in one round trip.
    this.#gets = new GroupCommit({
      keyOf: (key) => key,
      run: async (keys) => {
        const rows = await this.sql<
          RawRow[]
        >`select * from image_object where key = any(${keys as string[]}::text[])`;
        const byKey = new Map(rows.map((r) => [r.key, toRow(r)]));
        return keys.map((k) => byKey.get(k));
      },
    });
  }

  /**
   * Inserts the row, or replaces the row of an earlier write of the key. Returns the blob the
   * replaced row pointed to. Concurrent calls are grouped into one statement (group commit: the
   * embedded database runs one statement at a time, so one round trip per object would cap ingest).
   */
  upsert(entry: CatalogEntry): Promise<CatalogRow['replaced']> {
    return this.#upserts.add(entry);
  }

  /**
   * One statement for many rows; the replaced blob is read from the locked existing row
   * (`image_object.blob_key` in DO UPDATE), so two concurrent overwrites each see the one they
   * replaced. Keys must be distinct (a row cannot be updated twice by one statement).
   */
  async upsertMany(entries: readonly CatalogEntry[]): Promise<Map<string, CatalogRow['replaced']>> {
    const col = <T>(pick: (e: CatalogEntry) => T): T[] => entries.map(pick);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const rows = await this.sql<
      { key: string; replaced_blob_key: string | null; replaced_copies: string[] | null }[]
    >`
      insert into image_object (key, study_uid, blob_key, plain_size, stored_size, sha256, cipher_suite,
        master_key_id, wrapped_key, copies, tier, created_at, last_access_at)
      select k, s, b, ps::int8, ss::int8, decode(h, 'hex'), cs, mk, decode(w, 'hex'), string_to_array(c, ','),
        t, ca::timestamptz, la::timestamptz
      from unnest(${col((e) => e.key)}::text[], ${col((e) => e.study)}::text[], ${col((e) => e.blobKey)}::text[],
        ${col((e) => String(e.plainSize))}::text[], ${col((e) => String(e.storedSize))}::text[],
        ${col((e) => hex(e.sha256))}::text[], ${col((e) => e.wrapped.suite)}::text[],
        ${col((e) => e.wrapped.masterKeyId)}::text[], ${col((e) => hex(e.wrapped.wrapped))}::text[],
        ${col((e) => e.copies.join(','))}::text[], ${col((e) => e.tier)}::text[],
        ${col((e) => e.createdAt.toISOString())}::text[], ${col((e) => e.lastAccessAt.toISOString())}::text[])
        as v(k, s, b, ps, ss, h, cs, mk, w, c, t, ca, la)
      on conflict (key) do update set study_uid = excluded.study_uid, blob_key = excluded.blob_key,
        plain_size = excluded.plain_size, stored_size = excluded.stored_size, sha256 = excluded.sha256,
        cipher_suite = excluded.cipher_suite, master_key_id = excluded.master_key_id,
        wrapped_key = excluded.wrapped_key, copies = excluded.copies, tier = excluded.tier,
        created_at = excluded.created_at, last_access_at = excluded.last_access_at, lease_until = null,
        replaced_blob_key = image_object.blob_key, replaced_copies = image_object.copies
      returning key, replaced_blob_key, replaced_copies`;
    const out = new Map<string, CatalogRow['replaced']>();
    for (const r of rows) {
      out.set(
        r.key,
        r.replaced_blob_key === null
          ? undefined
          : { blobKey: r.replaced_blob_key, copies: r.replaced_copies ?? [] },
      );
    }
    return out;
  }

  /** The row as committed when the call was made (concurrent calls share one query). */
  get(key: string): Promise<CatalogRow | undefined> {
    return this.#gets.add(key);
  }

  /** Records a read, at most once per `every` ms per object (reads must not each write the DB). */
  async touch(key: string, now: Date, everyMs: number): Promise<void> {
    await this.sql`update image_object set last_access_at = ${now}
      where key = ${key} and last_access_at < ${new Date(now.getTime() - everyMs)}`;
  }

  /** Removes and adds backends to the object's copies (and sets its tier); false when it changed since. */
  async changeCopies(
    key: string,
    blobKey: string,
    change: CopyChange,
  ): Promise<readonly string[] | undefined> {
    const add = (change.add ?? []) as string[];
    const remove = (change.remove ?? []) as string[];
    const rows = await this.sql<{ copies: string[] }[]>`
      update image_object set
        copies = coalesce((select array_agg(distinct c) from unnest(array_cat(copies, ${add}::text[])) as c
          where c <> all(${remove}::text[])), '{}'),
        tier = coalesce(${change.tier ?? null}::text, tier)
      where key = ${key} and blob_key = ${blobKey}
      returning copies`;
    return rows[0]?.copies;
  }

  /** Forgets the replaced blob once its copies are gone (unless a newer overwrite replaced another). */
  async clearReplaced(key: string, replacedBlobKey: string): Promise<void> {
    await this.sql`update image_object set replaced_blob_key = null, replaced_copies = null
      where key = ${key} and replaced_blob_key = ${replacedBlobKey}`;
  }

  /** Deletes the row; returns it (to delete its copies), or undefined when there was none. */
  async remove(key: string): Promise<CatalogRow | undefined> {
    const rows = await this.sql<RawRow[]>`delete from image_object where key = ${key} returning *`;
    return rows[0] === undefined ? undefined : toRow(rows[0]);
  }

  /** Rows in key order after `after` (keyset paging: stable while rows come and go). */
  async page(after: string, limit: number): Promise<CatalogRow[]> {
    const rows = await this.sql<RawRow[]>`
      select * from image_object where key > ${after} order by key limit ${limit}`;
    return rows.map(toRow);
  }

  /**
   * Objects, and objects with fewer copies than wanted: `replicas` for hot-tier objects,
   * `coldTarget` for evicted ones.
   */
  async counts(replicas: number, coldTarget: number): Promise<{ objects: number; underReplicated: number }> {
    const rows = await this.sql<{ objects: string; under: string }[]>`
      select count(*) as objects,
        count(*) filter (where cardinality(copies) < case when tier = 'cold' then ${coldTarget}::int
          else ${replicas}::int end) as under
      from image_object`;
    return { objects: Number(rows[0]?.objects ?? 0), underReplicated: Number(rows[0]?.under ?? 0) };
  }
}
