import type { SearchParameter } from '@medplum/fhirtypes';
import {
  type CompiledSearchParamRegistry,
  createSearchParamRegistry,
  createSwappableRegistry,
  type SensitivityRule,
  type SwappableRegistry,
} from '@yiyun/fhir';
import { type AccessScope, BreakGlassStore } from './access/index.ts';
import { reindexTypes } from './indexing/reindex.ts';
import { ACCESS_MIGRATION, migrate } from './migrations/index.ts';
import {
  activatedAt,
  loadActiveSearchParameters,
  readStoredSearchParameters,
  registryWith,
  saveActiveSearchParameters,
} from './registry/custom-params.ts';
import { PgRepository } from './repository/pg-repository.ts';
import type { FhirRepository } from './repository/port.ts';
import { asQueryable, type Database, type DatabaseOptions, openDatabase } from './sql/connect.ts';

export interface StoreOptions extends DatabaseOptions {
  /** Sensitivity-labelling rules applied on every write (default: the built-in ICD-10 rules). */
  readonly sensitivityRules?: readonly SensitivityRule[];
  /** Base search parameters; default: every R4 SearchParameter. Custom ones are added on top. */
  readonly registry?: CompiledSearchParamRegistry;
  /** How often to check whether another replica activated new SearchParameters (ms; 0 = never). */
  readonly registryPollMs?: number;
}

export interface ActivationReport {
  readonly active: readonly string[];
  readonly invalid: readonly { id: string; message: string }[];
  /** Resource types whose index the new parameters change. */
  readonly affectedTypes: readonly string[];
}

export interface Store {
  readonly kind: Database['kind'];
  /** The live registry: replaced in place when custom SearchParameters are activated. */
  readonly registry: SwappableRegistry;
  /** A repository bound to what its caller may see and change (absent: everything). */
  repository(access?: AccessScope): FhirRepository;
  isReady(): Promise<boolean>;
  /** Activates the stored custom SearchParameters for every replica (the first half of `$reindex`). */
  activateSearchParameters(): Promise<ActivationReport>;
  /** The custom SearchParameters active now (for worker threads that build their own registry). */
  customSearchParameters(): Promise<readonly SearchParameter[]>;
  /** Rebuilds index rows of these types (the second half of `$reindex`). */
  reindex(types: readonly string[], onProgress?: (done: number) => unknown): Promise<number>;
  close(): Promise<void>;
  /** Break-the-glass grants (declared, enforced in every access predicate, reviewed). */
  readonly breakGlass: BreakGlassStore;
  /** The SQL connection, for store-internal jobs (bulk import/export, benchmarks). */
  readonly database: Database;
}

/** Opens the database (PostgreSQL when `databaseUrl` is set, else embedded PGlite) and migrates it. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const database = await openDatabase(options);
  let applied: number[];
  try {
    applied = await migrate(database.sql);
  } catch (err) {
    await database.close();
    throw err;
  }
  const q = asQueryable(database.sql);
  const active = await loadActiveSearchParameters(q);
  const registry = createSwappableRegistry(
    active.params.length ? registryWith(active.params) : (options.registry ?? createSearchParamRegistry()),
  );
  let loadedAt = active.activatedAt;
  // Rows stored before access control existed get their access facts now (never left unlabelled).
  if (applied.includes(ACCESS_MIGRATION)) {
    const types = await q.unsafe<{ type: string }[]>('select distinct type from resource where not deleted');
    const rules = { registry, sensitivityRules: options.sensitivityRules };
    if (types.length)
      await reindexTypes(
        database,
        rules,
        types.map((t) => t.type),
      );
  }
  const reloadIfChanged = async () => {
    const latest = await activatedAt(q);
    if (latest === loadedAt) return;
    const now = await loadActiveSearchParameters(q);
    registry.replace(registryWith(now.params));
    loadedAt = now.activatedAt;
  };
  const pollMs = options.registryPollMs ?? 10_000;
  const timer = pollMs > 0 ? setInterval(() => void reloadIfChanged().catch(() => {}), pollMs) : undefined;
  timer?.unref();
  let closed = false;
  return {
    kind: database.kind,
    registry,
    database,
    breakGlass: new BreakGlassStore(q),
    repository: (access?: AccessScope) =>
      new PgRepository({
        sql: database.sql,
        registry,
        sensitivityRules: options.sensitivityRules,
        ...(access ? { access } : {}),
      }),
    async isReady() {
      if (closed) return false;
      try {
        await database.sql`select 1`;
        return true;
      } catch {
        return false;
      }
    },
    async activateSearchParameters() {
      const { valid, invalid } = await readStoredSearchParameters(q);
      const previous = (await loadActiveSearchParameters(q)).params;
      await saveActiveSearchParameters(q, valid);
      registry.replace(registryWith(valid));
      loadedAt = await activatedAt(q);
      // Types whose parameters appeared or disappeared both need their index rebuilt.
      const affectedTypes = [...new Set([...previous, ...valid].flatMap((p) => p.base as string[]))].sort();
      return { active: valid.map((p) => p.url), invalid, affectedTypes };
    },
    customSearchParameters: async () => (await loadActiveSearchParameters(q)).params,
    reindex: (types, onProgress) =>
      reindexTypes(database, { registry, sensitivityRules: options.sensitivityRules }, types, onProgress),
    async close() {
      closed = true;
      clearInterval(timer);
      await database.close();
    },
  };
}
