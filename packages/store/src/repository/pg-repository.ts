import { randomUUID } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { AppError, type SearchRequest, withCustodian } from '@yiyun/fhir';
import { type AccessScope, accessPredicate, arrayParams } from '../access/index.ts';
import { type IndexingRules, indexResource, labelForStorage } from '../indexing/index-resource.ts';
import { recordDelete } from '../indexing/write-index.ts';
import { runSearch } from '../search/run-search.ts';
import { asQueryable, type Queryable, type Sql } from '../sql/connect.ts';
import type {
  CreateOptions,
  FhirRepository,
  HistoryQuery,
  HistoryResult,
  SearchResult,
  StoredResource,
  UpdateOptions,
  WriteResult,
} from './port.ts';
import { readCurrent, readHistory, readVersion } from './reads.ts';
import { assertValidId, guarded } from './rows.ts';
import { insertResources, lockCurrent, type PendingCreate, replaceCurrent, stamp } from './writes.ts';

export interface RepositoryDeps extends IndexingRules {
  readonly sql: Sql;
  /** What this repository's caller may see and change; absent = everything (platform jobs). */
  readonly access?: AccessScope;
}

/** Creates are buffered inside a transaction and written in one batch before the next read or at commit. */
const FLUSH_AT = 1_000;

/** FhirRepository on PostgreSQL SQL (a PostgreSQL server or the embedded PGlite). */
export class PgRepository implements FhirRepository {
  readonly #deps: RepositoryDeps;
  /** The transaction's connection; undefined outside a transaction. */
  readonly #tx: Queryable | undefined;
  readonly #pending: PendingCreate[] = [];

  constructor(deps: RepositoryDeps, tx?: Queryable) {
    this.#deps = deps;
    this.#tx = tx;
  }

  get #q(): Queryable {
    return this.#tx ?? asQueryable(this.#deps.sql);
  }

  async create(resource: Resource, options?: CreateOptions): Promise<WriteResult> {
    assertResource(resource);
    const id = options?.keepId && resource.id ? resource.id : randomUUID();
    assertValidId(id);
    const stored = stamp(
      labelForStorage(this.#custodian(resource), this.#deps),
      id,
      1,
      new Date().toISOString(),
    );
    const pending = { resource: stored, ...indexResource(stored, this.#deps) };
    if (this.#tx) {
      this.#pending.push(pending);
      if (this.#pending.length >= FLUSH_AT) await guarded(() => this.#flush());
    } else {
      await guarded(() => this.#deps.sql.begin((tx) => insertResources(asQueryable(tx), [pending])));
    }
    return { resource: stored, created: true };
  }

  async read(resourceType: string, id: string): Promise<StoredResource> {
    return guarded(async () => {
      await this.#flush();
      return readCurrent(this.#q, resourceType, id, this.#deps.access);
    });
  }

  async vread(resourceType: string, id: string, versionId: string): Promise<StoredResource> {
    return guarded(async () => {
      await this.#flush();
      return readVersion(this.#q, { type: resourceType, id, versionId }, this.#deps.access);
    });
  }

  update(resource: Resource, options?: UpdateOptions): Promise<WriteResult> {
    assertResource(resource);
    assertValidId(resource.id);
    const withId = resource as Resource & { id: string };
    return guarded(() => this.transaction((tx) => tx.#update(withId, options)));
  }

  async #update(resource: Resource & { id: string }, options?: UpdateOptions): Promise<WriteResult> {
    await this.#flush();
    const sql = this.#q;
    const current = await lockCurrent(sql, resource.resourceType, resource.id);
    if (current) await this.#assertWritable(current.rid, `${resource.resourceType}/${resource.id}`);
    const now = new Date().toISOString();
    if (options?.ifMatch !== undefined && String(current?.version_id) !== options.ifMatch) {
      throw new AppError('precondition-failed', `Version ${options.ifMatch} is not the current version`);
    }
    const labelled = labelForStorage(this.#custodian(resource), this.#deps);
    if (!current) {
      if (options?.allowCreate === false)
        throw new AppError('not-found', `${resource.resourceType}/${resource.id} not found`);
      const stored = stamp(labelled, resource.id, 1, now);
      await insertResources(sql, [{ resource: stored, ...indexResource(stored, this.#deps) }]);
      return { resource: stored, created: true };
    }
    const stored = stamp(labelled, resource.id, current.version_id + 1, now);
    await replaceCurrent(sql, current, { resource: stored, ...indexResource(stored, this.#deps) });
    return { resource: stored, created: current.deleted };
  }

  async delete(resourceType: string, id: string): Promise<void> {
    await guarded(() =>
      this.transaction(async (tx) => {
        await tx.#flush();
        const current = await lockCurrent(tx.#q, resourceType, id);
        if (!current || current.deleted) return;
        await tx.#assertWritable(current.rid, `${resourceType}/${id}`);
        await replaceCurrent(tx.#q, current, { deletedAt: new Date().toISOString() });
        await recordDelete(tx.#q, current.rid, resourceType);
      }),
    );
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    return guarded(async () => {
      await this.#flush();
      return runSearch(this.#q, request, this.#deps.registry, this.#deps.access);
    });
  }

  async history(query: HistoryQuery): Promise<HistoryResult> {
    return guarded(async () => {
      await this.#flush();
      return readHistory(this.#q, query, this.#deps.access);
    });
  }

  async transaction<T>(fn: (tx: PgRepository) => Promise<T>): Promise<T> {
    if (this.#tx) return fn(this);
    return guarded(
      () =>
        this.#deps.sql.begin(async (sql) => {
          const tx = new PgRepository(this.#deps, asQueryable(sql));
          const result = await fn(tx);
          await tx.#flush();
          return result;
        }) as Promise<T>,
    );
  }

  async lock(key: string): Promise<void> {
    if (!this.#tx) throw new AppError('internal', 'lock() needs a transaction');
    await this.#flush();
    await this.#q.unsafe('select pg_advisory_xact_lock(hashtextextended($1::text, 0))', [key]);
  }

  /**
   * A resource the caller cannot see is `not-found` (never revealed); one they can see but that
   * another institution holds is `forbidden` (scope.writeCustodian is the only institution they write for).
   */
  async #assertWritable(rid: string, label: string): Promise<void> {
    const access = this.#deps.access;
    if (!access || access.kind === 'all') return;
    const params: unknown[] = [rid];
    const predicate = accessPredicate(access, 'r', arrayParams(params)) ?? 'true';
    const rows = await this.#q.unsafe<{ visible: boolean; custodian: string | null }[]>(
      `select (${predicate}) as visible, r.custodian from resource r where r.rid = $1::int8`,
      params,
    );
    const row = rows[0];
    if (!row?.visible) throw new AppError('not-found', `${label} not found`);
    if (access.writeCustodian !== undefined && row.custodian !== access.writeCustodian)
      throw new AppError('forbidden', `${label} is held by another institution`);
  }

  /** What an institution writes, it holds: its custodian tag replaces any the sender put. */
  #custodian<T extends Resource>(resource: T): T {
    const access = this.#deps.access;
    return access?.kind === 'restricted' && access.writeCustodian
      ? withCustodian(resource, access.writeCustodian)
      : resource;
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const batch = this.#pending.splice(0);
    await insertResources(this.#q, batch);
  }
}

function assertResource(resource: unknown): asserts resource is Resource {
  if (
    typeof resource !== 'object' ||
    resource === null ||
    typeof (resource as Resource).resourceType !== 'string'
  ) {
    throw new AppError('invalid', 'Not a FHIR resource: resourceType is missing');
  }
}
