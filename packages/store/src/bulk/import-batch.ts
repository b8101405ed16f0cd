import { randomUUID } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { type IndexingRules, indexResource, labelForStorage } from '../indexing/index-resource.ts';
import { PgRepository } from '../repository/pg-repository.ts';
import { assertValidId, isUniqueViolation } from '../repository/rows.ts';
import { insertResources, type PendingCreate, stamp } from '../repository/writes.ts';
import { asQueryable, type Database, type Queryable } from '../sql/connect.ts';
import { buildCopyPayload, type CopyPayload, copyPayload } from './copy-writer.ts';

export interface BatchResult {
  readonly created: number;
  readonly updated: number;
}

/** A batch made ready outside any transaction: the CPU work is done, only writing is left. */
export interface PreparedBatch {
  readonly resources: readonly Resource[];
  readonly fresh: readonly PendingCreate[];
  readonly updates: readonly Resource[];
  /** COPY text (PostgreSQL server only). */
  readonly payload?: CopyPayload;
}

export async function existingKeys(q: Queryable, resources: readonly Resource[]): Promise<Set<string>> {
  const withId = resources.filter((r) => r.id);
  if (withId.length === 0) return new Set();
  const rows = await q.unsafe<{ type: string; id: string }[]>(
    `select r.type, r.id from resource r
     join unnest($1::text[], $2::text[]) as k(type, id) on r.type = k.type and r.id = k.id`,
    [withId.map((r) => r.resourceType), withId.map((r) => r.id)],
  );
  return new Set(rows.map((r) => `${r.type}/${r.id}`));
}

export async function allocateRids(q: Queryable, n: number): Promise<string[]> {
  const rows = await q.unsafe<{ rid: string }[]>(
    `select nextval(pg_get_serial_sequence('resource', 'rid'))::text as rid from generate_series(1, $1::int4)`,
    [n],
  );
  return rows.map((r) => r.rid);
}

/**
 * Splits a batch of validated resources into new ones (stamped, indexed, serialised for COPY) and
 * ones whose id exists (to be updated). No transaction is open meanwhile, so the caller can prepare
 * the next batch while the previous one is being written. No (type, id) may appear twice in a batch.
 */
export async function prepareImportBatch(
  database: Database,
  rules: IndexingRules,
  resources: readonly Resource[],
): Promise<PreparedBatch> {
  const q = asQueryable(database.sql);
  const existing = await existingKeys(q, resources);
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
    const stored = stamp(labelForStorage(resource, rules), id, 1, now);
    fresh.push({ resource: stored, ...indexResource(stored, rules) });
  }
  if (database.kind !== 'postgres' || fresh.length === 0) return { resources, fresh, updates };
  const payload = buildCopyPayload(fresh, await allocateRids(q, fresh.length));
  return { resources, fresh, updates, payload };
}

/**
 * Writes a prepared batch in one transaction: new resources on the fast path (COPY on a PostgreSQL
 * server, batched INSERT on PGlite, whose socket has no COPY FROM STDIN), existing ids as versioned
 * updates. If another writer created one of the ids meanwhile, the batch is redone through the
 * repository, resource by resource. All or nothing either way.
 */
export async function writePreparedBatch(
  database: Database,
  rules: IndexingRules,
  batch: PreparedBatch,
): Promise<BatchResult> {
  try {
    return (await database.sql.begin(async (tx) => {
      if (batch.payload) await copyPayload(tx, batch.payload);
      else await insertResources(asQueryable(tx), batch.fresh);
      const repo = new PgRepository({ ...rules, sql: database.sql }, asQueryable(tx));
      for (const resource of batch.updates) await repo.update(resource);
      return { created: batch.fresh.length, updated: batch.updates.length };
    })) as BatchResult;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return writeOneByOne(database, rules, batch.resources);
  }
}

async function writeOneByOne(database: Database, rules: IndexingRules, resources: readonly Resource[]) {
  const repo = new PgRepository({ ...rules, sql: database.sql });
  return repo.transaction(async (tx) => {
    let created = 0;
    for (const resource of resources) {
      const result = resource.id ? await tx.update(resource) : await tx.create(resource);
      if (result.created) created++;
    }
    return { created, updated: resources.length - created };
  });
}

/** Writes already-parsed, validated resources through the ordinary batch path (slow path too). */
export async function writeResources(
  resources: readonly Resource[],
  options: IndexingRules & { readonly database: Database },
): Promise<BatchResult> {
  let created = 0;
  let updated = 0;
  let batch: Resource[] = [];
  let keys = new Set<string>();
  const flush = async () => {
    if (batch.length === 0) return;
    const prepared = await prepareImportBatch(options.database, options, batch);
    const result = await writePreparedBatch(options.database, options, prepared);
    created += result.created;
    updated += result.updated;
    batch = [];
    keys = new Set();
  };
  for (const resource of resources) {
    const key = resource.id ? `${resource.resourceType}/${resource.id}` : undefined;
    if (key && keys.has(key)) await flush();
    if (key) keys.add(key);
    batch.push(resource);
  }
  await flush();
  return { created, updated };
}
