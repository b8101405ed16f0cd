import type { StoredResource } from '../repository/port.ts';
import { asQueryable, type Database } from '../sql/connect.ts';
import { accessColumns, type IndexingRules, indexResource } from './index-resource.ts';
import { deleteIndexRows, writeIndexRows } from './write-index.ts';

const BATCH = 1_000;

/**
 * Rebuilds the search index rows and access facts of every live resource of `types` with the
 * current registry, a batch per transaction (keyset over rid, so other traffic interleaves).
 * Returns the count.
 */
export async function reindexTypes(
  database: Database,
  rules: IndexingRules,
  types: readonly string[],
  onProgress?: (done: number) => unknown,
): Promise<number> {
  let done = 0;
  for (const type of types) {
    let after = '0';
    for (;;) {
      const rows = await asQueryable(database.sql).unsafe<{ rid: string; content: StoredResource }[]>(
        `select rid, content from resource where type = $1::text and not deleted and rid > $2::int8
         order by rid limit $3::int4`,
        [type, after, BATCH],
      );
      if (rows.length === 0) break;
      const batch = rows.map((r) => ({ rid: r.rid, resourceType: type, ...indexResource(r.content, rules) }));
      await database.sql.begin(async (tx) => {
        const q = asQueryable(tx);
        await deleteIndexRows(
          q,
          batch.map((b) => b.rid),
        );
        await writeIndexRows(q, batch);
        const columns = batch.map((b) => accessColumns(b.access));
        await q.unsafe(
          `update resource r set custodian = u.c, patient_id = u.p, labels = u.l::text[]
           from unnest($1::int8[], $2::text[], $3::text[], $4::text[]) as u(rid, c, p, l) where r.rid = u.rid`,
          [
            batch.map((b) => b.rid),
            columns.map((c) => c[0]),
            columns.map((c) => c[1]),
            columns.map((c) => c[2]),
          ],
        );
      });
      done += rows.length;
      after = rows[rows.length - 1]!.rid;
      await onProgress?.(done);
      if (rows.length < BATCH) break;
    }
  }
  return done;
}
