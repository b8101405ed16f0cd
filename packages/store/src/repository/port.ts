import type { Resource } from '@medplum/fhirtypes';
import type { SearchRequest } from '@yiyun/fhir';

/** A resource as stored: `id`, `meta.versionId` and `meta.lastUpdated` are always set. */
export type StoredResource = Resource & { id: string; meta: { versionId: string; lastUpdated: string } };

export interface CreateOptions {
  /** Keep the given `id` (transaction/batch entries resolved server-side, $import); default: new UUID. */
  readonly keepId?: boolean;
}

export interface UpdateOptions {
  /** `If-Match`: the version the caller last read; a different current version is `precondition-failed`. */
  readonly ifMatch?: string;
  /** Update-as-create: allowed when the id does not exist yet (default true). */
  readonly allowCreate?: boolean;
}

export interface WriteResult {
  readonly resource: StoredResource;
  /** A new resource was created (201) rather than an existing one updated (200). */
  readonly created: boolean;
}

export interface SearchResult {
  readonly matches: readonly StoredResource[];
  /** `_include` / `_revinclude` results (search mode `include`). */
  readonly included: readonly StoredResource[];
  /** Present when the request's total mode asks for it. */
  readonly total?: number;
  /** True when a next page exists. */
  readonly hasMore: boolean;
}

export interface HistoryQuery {
  readonly resourceType?: string;
  readonly id?: string;
  /** Only versions changed at or after this instant. */
  readonly since?: string;
  /** Only versions changed before this instant (`_at` / paging). */
  readonly before?: string;
  readonly count: number;
  readonly offset: number;
}

export interface HistoryEntry {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: string;
  readonly lastUpdated: string;
  readonly method: 'POST' | 'PUT' | 'DELETE';
  /** Absent for a delete. */
  readonly resource?: StoredResource;
}

export interface HistoryResult {
  readonly entries: readonly HistoryEntry[];
  readonly total: number;
  readonly hasMore: boolean;
}

/**
 * FHIR persistence. Every method throws `AppError`: `not-found` (never existed), `gone` (deleted),
 * `precondition-failed` (If-Match), `conflict`, `invalid`.
 * Access rules (identity/access issue) will be bound into a repository when it is created, so that
 * every method, including search totals and includes, obeys them in SQL.
 */
export interface FhirRepository {
  create(resource: Resource, options?: CreateOptions): Promise<WriteResult>;
  read(resourceType: string, id: string): Promise<StoredResource>;
  vread(resourceType: string, id: string, versionId: string): Promise<StoredResource>;
  update(resource: Resource, options?: UpdateOptions): Promise<WriteResult>;
  /** Soft delete: a new version marked deleted. Deleting an absent or deleted resource is a no-op. */
  delete(resourceType: string, id: string): Promise<void>;
  search(request: SearchRequest): Promise<SearchResult>;
  history(query: HistoryQuery): Promise<HistoryResult>;
  /**
   * Runs `fn` in one database transaction: everything inside commits or nothing does.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: (tx: FhirRepository) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: a transaction-scoped lock on `key`, held until commit or rollback, shared by
   * every server process on the database (conditional create/update use it so that two replicas never
   * both create). Outside a transaction it throws.
   */
  lock(key: string): Promise<void>;
}
