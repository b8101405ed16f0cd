import { randomUUID } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { extractIndexEntries, type SearchParamRegistry } from '@yiyun/fhir';
import type { TransactionSql } from 'postgres';
import { PgRepository } from '../repository/pg-repository.ts';
import { assertValidId } from '../repository/rows.ts';
import { insertResources, type PendingCreate, stamp } from '../repository/writes.ts';
import { asQueryable, type Database } from '../sql/connect.ts';
import { copyNewResources } from './copy-writer.ts';

export interface BatchResult {
  readonly created: number;
  readonly updated: number;
}

async function existingKeys(tx: TransactionSql, resources: readonly Resource[]): Promise<Set<string>> {
  const withId = resources.filter((r) => r.id);
  if (withId.length === 0) return new Set();
  const rows = await asQueryable(tx).unsafe<{ type: string; id: string }[]>(
    `select r.type, r.id from resource r
     join unnest($1::text[], $2::text[]) as k(type, id) on r.type = k.type and r.id = k.id`,
    [withId.map((r) => r.resourceType), withId.map((r) => r.id)],
  );
  return new Set(rows.map((r) => `${r.type}/${r.id}`));
}

async function allocateRids(tx: TransactionSql, n: number): Promise<string[]> {
  const rows = await asQueryable(tx).unsafe<{ rid: string }[]>(
    `select nextval(pg_get_serial_sequence('resource', 'rid'))::text as rid from generate_series(1, $1::int4)`,
    [n],
  );
  return rows.map((r) => r.rid);
}

/**
 * Writes one batch of already-validated resources in one transaction: new ids on the fast path
 * (COPY on a PostgreSQL server, batched INSERT on PGlite, whose socket has no COPY FROM STDIN),
 * resources whose id exists through the normal versioned update. All or nothing.
 * The caller guarantees that no (type, id) appears twice in one batch.
 */
export async function writeImportBatch(
  database: Database,
  registry: SearchParamRegistry,
  resources: readonly Resource[],
): Promise<BatchResult> {
  return database.sql.begin(async (tx) => {
    const existing = await existingKeys(tx, resources);
    const now = new Date().toISOString();
    const fresh: PendingCreate[] = [];
    const updates: Resource[] = [];
    for (const resource of resources) {
      if (resource.id && existing.has(`${resource.resourceType}/${resource.id}`)) {
        updates.push(resource);
        continue;
      }
      const id = resource.id ?? randomUUID();
      assertValidId(id);
      const stored = stamp(resource, id, 1, now);
      fresh.push({ resource: stored, entries: extractIndexEntries(stored, registry) });
    }
    if (database.kind === 'postgres' && fresh.length > 0) {
      await copyNewResources(tx, fresh, await allocateRids(tx, fresh.length));
    } else {
      await insertResources(asQueryable(tx), fresh);
    }
    const repo = new PgRepository({ sql: database.sql, registry }, asQueryable(tx));
    for (const resource of updates) await repo.update(resource);
    return { created: fresh.length, updated: updates.length };
  }) as Promise<BatchResult>;
}
