import { AppError } from '@yiyun/fhir';
import { type AccessScope, accessPredicate, arrayParams } from '../access/index.ts';
import type { Queryable } from '../sql/connect.ts';
import type { HistoryEntry, HistoryQuery, HistoryResult, StoredResource } from './port.ts';
import { liveResource, type ResourceRow, ROW_COLUMNS } from './rows.ts';

/** ` and <access predicate over alias>` (values appended to `params`), or nothing. */
function visible(access: AccessScope | undefined, alias: string, params: unknown[]): string {
  const predicate = accessPredicate(access, alias, arrayParams(params));
  return predicate ? ` and ${predicate}` : '';
}

/** The current version; a resource the caller may not see is `not-found`, exactly like an absent one. */
export async function readCurrent(
  sql: Queryable,
  type: string,
  id: string,
  access?: AccessScope,
): Promise<StoredResource> {
  const params: unknown[] = [type, id];
  const rows = await sql.unsafe<ResourceRow[]>(
    `select ${ROW_COLUMNS} from resource r where type = $1::text and id = $2::text${visible(access, 'r', params)}`,
    params,
  );
  return liveResource(rows[0], `${type}/${id}`);
}

/** Old versions are visible when the current one is (custodian and patient do not change). */
function currentVisible(access: AccessScope | undefined, params: unknown[]): string {
  const predicate = visible(access, 'c', params);
  return predicate
    ? ` and exists (select 1 from resource c where c.type = h.type and c.id = h.id${predicate})`
    : '';
}

export async function readVersion(
  sql: Queryable,
  key: { type: string; id: string; versionId: string },
  access?: AccessScope,
): Promise<StoredResource> {
  const { type, id, versionId } = key;
  const version = Number(versionId);
  const label = `${type}/${id}/_history/${versionId}`;
  if (!Number.isInteger(version) || version < 1 || version > 2_147_483_647) {
    throw new AppError('not-found', `${label} not found`);
  }
  const params: unknown[] = [type, id, version];
  const access1 = visible(access, 'r', params);
  const access2 = currentVisible(access, params);
  const rows = await sql.unsafe<ResourceRow[]>(
    `select ${ROW_COLUMNS} from resource r where type = $1::text and id = $2::text and version_id = $3::int4${access1}
     union all
     select ${ROW_COLUMNS} from resource_history h
     where type = $1::text and id = $2::text and version_id = $3::int4${access2}`,
    params,
  );
  return liveResource(rows[0], label);
}

function historyWhere(query: HistoryQuery, params: unknown[]): string {
  const clauses: string[] = [];
  const add = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  if (query.resourceType) clauses.push(`type = ${add(query.resourceType, 'text')}`);
  if (query.id) clauses.push(`id = ${add(query.id, 'text')}`);
  if (query.since) clauses.push(`last_updated >= ${add(query.since, 'timestamptz')}`);
  if (query.before) clauses.push(`last_updated < ${add(query.before, 'timestamptz')}`);
  return clauses.length ? `where ${clauses.join(' and ')}` : '';
}

function toEntry(row: ResourceRow): HistoryEntry {
  const lastUpdated = row.last_updated.toISOString();
  const method = row.deleted ? 'DELETE' : row.version_id === 1 ? 'POST' : 'PUT';
  const base = {
    resourceType: row.type,
    id: row.id,
    versionId: String(row.version_id),
    lastUpdated,
    method,
  } as const;
  return row.deleted || !row.content ? base : { ...base, resource: row.content };
}

/** Instance, type or system history, newest first. */
export async function readHistory(
  sql: Queryable,
  query: HistoryQuery,
  access?: AccessScope,
): Promise<HistoryResult> {
  const params: unknown[] = [];
  const where = historyWhere(query, params) || 'where true';
  if (query.id && query.resourceType) {
    const p: unknown[] = [query.resourceType, query.id];
    const exists = await sql.unsafe(
      `select 1 from resource r where type = $1::text and id = $2::text${visible(access, 'r', p)}`,
      p,
    );
    if (exists.length === 0) throw new AppError('not-found', `${query.resourceType}/${query.id} not found`);
  }
  const union = `select ${ROW_COLUMNS} from resource r ${where}${visible(access, 'r', params)}
    union all select ${ROW_COLUMNS} from resource_history h ${where}${currentVisible(access, params)}`;
  const countRows = await sql.unsafe<{ n: string }[]>(`select count(*) as n from (${union}) h`, params);
  const limit = params.length + 1;
  const rows = await sql.unsafe<ResourceRow[]>(
    `${union} order by last_updated desc, type, id, version_id desc limit $${limit}::int4 offset $${limit + 1}::int4`,
    [...params, query.count + 1, query.offset],
  );
  return {
    entries: rows.slice(0, query.count).map(toEntry),
    total: Number(countRows[0]?.n ?? 0),
    hasMore: rows.length > query.count,
  };
}
