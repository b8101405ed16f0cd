import type { CatalogEntry, CatalogRow } from './catalog.ts';
import type { StoreContext } from './context.ts';
import type { ImageObjectMeta, WriteReceipt } from './port.ts';
import { afterRecorded, discardPlaced, placeObject } from './writer.ts';

/**
 * A data-modifying CTE another module's statement runs with its own writes, so that two modules'
 * rows commit together in one round trip (the index upsert takes one, ../index/upsert.ts).
 */
export interface StatementCompanion {
  /** The CTE body; it reads `source`, which has one row when the owner's row is written, none when not. */
  sql(source: string, firstParam: number): string;
  readonly params: readonly unknown[];
}

/**
 * An image whose copies are durable but which the catalog does not list yet. The caller records it
 * by running `companion` inside its own statement (the row then commits with the caller's rows, or
 * not at all) and reports the outcome: `recorded` with what the statement returned, or `discard`
 * when it did not record it (the copies are deleted: no row points at them).
 */
export interface StagedObject {
  readonly receipt: WriteReceipt;
  readonly companion: StatementCompanion;
  recorded(returned: unknown): void;
  discard(): void;
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * The catalog row of `entry` as a companion: the same upsert as `ObjectCatalog.upsertMany` (an
 * overwrite of the key keeps the blob it replaced for clean-up), returning that replaced blob.
 */
export function catalogCompanion(entry: CatalogEntry): StatementCompanion {
  return {
    sql: (source, p) => `insert into image_object (key, study_uid, blob_key, plain_size, stored_size, sha256,
        cipher_suite, master_key_id, wrapped_key, copies, tier, created_at, last_access_at)
      select $${p}::text, $${p + 1}::text, $${p + 2}::text, $${p + 3}::int8, $${p + 4}::int8, $${p + 5}::bytea,
        $${p + 6}::text, $${p + 7}::text, $${p + 8}::bytea, $${p + 9}::text[], $${p + 10}::text,
        $${p + 11}::timestamptz, $${p + 12}::timestamptz
      from ${source}
      on conflict (key) do update set study_uid = excluded.study_uid, blob_key = excluded.blob_key,
        plain_size = excluded.plain_size, stored_size = excluded.stored_size, sha256 = excluded.sha256,
        cipher_suite = excluded.cipher_suite, master_key_id = excluded.master_key_id,
        wrapped_key = excluded.wrapped_key, copies = excluded.copies, tier = excluded.tier,
        created_at = excluded.created_at, last_access_at = excluded.last_access_at, lease_until = null,
        replaced_blob_key = image_object.blob_key, replaced_copies = image_object.copies
      returning replaced_blob_key, replaced_copies`,
    params: [
      entry.key,
      entry.study,
      entry.blobKey,
      String(entry.plainSize),
      String(entry.storedSize),
      hex(entry.sha256),
      entry.wrapped.suite,
      entry.wrapped.masterKeyId,
      hex(entry.wrapped.wrapped),
      [...entry.copies],
      entry.tier,
      entry.createdAt,
      entry.lastAccessAt,
    ],
  };
}

function replacedOf(returned: unknown): CatalogRow['replaced'] {
  const row = returned as { replaced_blob_key?: unknown; replaced_copies?: unknown } | null | undefined;
  if (typeof row?.replaced_blob_key !== 'string') return undefined;
  const copies = Array.isArray(row.replaced_copies) ? row.replaced_copies.map(String) : [];
  return { blobKey: row.replaced_blob_key, copies };
}

/** Places the copies of an object for a caller that records it in its own statement. */
export async function stageObject(
  ctx: StoreContext,
  key: string,
  body: Uint8Array,
  meta: ImageObjectMeta,
): Promise<StagedObject> {
  const placed = await placeObject(ctx, key, body, meta);
  let settled = false;
  const settle = () => {
    if (settled) throw new Error('staged image already settled');
    settled = true;
  };
  return {
    receipt: placed.receipt,
    companion: catalogCompanion(placed.entry),
    recorded(returned) {
      settle();
      afterRecorded(ctx, key, replacedOf(returned));
    },
    discard() {
      settle();
      discardPlaced(ctx, placed);
    },
  };
}
