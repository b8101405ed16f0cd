import { extractIndexEntries, type SearchParamRegistry } from '@yiyun/fhir';
import type { StoredResource } from '../repository/port.ts';
import { asQueryable, type Database } from '../sql/connect.ts';
import { deleteIndexRows, writeIndexRows } from './write-index.ts';

const BATCH = 1_000;

/**
 * Rebuilds the search index rows of every live resource of `types` with the current registry,
 * a batch per transaction (keyset over rid, so other traffic interleaves). Returns the count.
 */
export async function reindexTypes(
  database: Database,
  registry: SearchParamRegistry,
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
      const batch = rows.map((r) => ({
        rid: r.rid,
        resourceType: type,
        entries: extractIndexEntries(r.content, registry),
      }));
      await database.sql.begin(async (tx) => {
        await deleteIndexRows(
          asQueryable(tx),
          batch.map((b) => b.rid),
        );
        await writeIndexRows(asQueryable(tx), batch);
      });
      done += rows.length;
      after = rows[rows.length - 1]!.rid;
      await onProgress?.(done);
      if (rows.length < BATCH) break;
    }
  }
  return done;
}
