import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransactionSql } from 'postgres';
import { paramKey } from '../indexing/param-key.ts';
import { INDEX_TABLES, type IndexKind, valueColumns } from '../indexing/write-index.ts';
import type { PendingCreate } from '../repository/writes.ts';

/** A field in PostgreSQL's COPY text format (https://www.postgresql.org/docs/15/sql-copy.html). */
function field(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

function line(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(field).join('\t')}\n`;
}

async function copyRows(tx: TransactionSql, table: string, columns: readonly string[], rows: string[]) {
  if (rows.length === 0) return;
  const writable = await tx.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  await pipeline(Readable.from(rows), writable);
}

/**
 * The bulk fast path on a PostgreSQL server: new resources and their index rows with COPY.
 * `rids` are pre-allocated from the identity sequence, one per resource.
 */
export async function copyNewResources(
  tx: TransactionSql,
  batch: readonly PendingCreate[],
  rids: readonly string[],
): Promise<void> {
  const resourceRows: string[] = [];
  const indexRows = new Map<IndexKind, string[]>();
  batch.forEach(({ resource, entries }, i) => {
    const rid = rids[i]!;
    resourceRows.push(
      line([
        rid,
        resource.resourceType,
        resource.id,
        1,
        resource.meta.lastUpdated,
        false,
        JSON.stringify(resource),
      ]),
    );
    for (const entry of entries) {
      const kind = entry.value.kind;
      let rows = indexRows.get(kind);
      if (!rows) {
        rows = [];
        indexRows.set(kind, rows);
      }
      rows.push(line([rid, paramKey(resource.resourceType, entry.param), ...valueColumns(entry.value)]));
    }
  });
  await copyRows(
    tx,
    'resource',
    ['rid', 'type', 'id', 'version_id', 'last_updated', 'deleted', 'content'],
    resourceRows,
  );
  for (const [kind, rows] of indexRows) {
    await copyRows(tx, `sp_${kind}`, ['rid', 'param', ...INDEX_TABLES[kind]], rows);
  }
}
