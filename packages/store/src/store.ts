import { createSearchParamRegistry, type SearchParamRegistry } from '@yiyun/fhir';
import { migrate } from './migrations/index.ts';
import { PgRepository } from './repository/pg-repository.ts';
import type { FhirRepository } from './repository/port.ts';
import { type Database, type DatabaseOptions, openDatabase } from './sql/connect.ts';

export interface StoreOptions extends DatabaseOptions {
  /** Search parameters to index and search by; default: every R4 SearchParameter. */
  readonly registry?: SearchParamRegistry;
}

export interface Store {
  readonly kind: Database['kind'];
  readonly registry: SearchParamRegistry;
  repository(): FhirRepository;
  isReady(): Promise<boolean>;
  close(): Promise<void>;
  /** The SQL connection, for store-internal jobs (bulk import/export, benchmarks). */
  readonly database: Database;
}

/** Opens the database (PostgreSQL when `databaseUrl` is set, else embedded PGlite) and migrates it. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const database = await openDatabase(options);
  try {
    await migrate(database.sql);
  } catch (err) {
    await database.close();
    throw err;
  }
  const registry = options.registry ?? createSearchParamRegistry();
  let closed = false;
  return {
    kind: database.kind,
    registry,
    database,
    repository: () => new PgRepository({ sql: database.sql, registry }),
    async isReady() {
      if (closed) return false;
      try {
        await database.sql`select 1`;
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      closed = true;
      await database.close();
    },
  };
}
