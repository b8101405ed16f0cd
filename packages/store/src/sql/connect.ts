import postgres from 'postgres';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.ts';

export type Sql = postgres.Sql;

/**
 * What repository code needs of a connection or transaction: parameterised text queries.
 * (Narrower than postgres.js's types, so the same code runs on a pool and inside `begin`.)
 */
export interface Queryable {
  unsafe<T = Record<string, unknown>[]>(text: string, params?: readonly unknown[]): Promise<T>;
}

/**
 * Parameterised statements are prepared (named) and reused per connection: the store's queries come
 * in a bounded set of shapes, and an access-controlled search carries several sub-selects whose
 * planning otherwise costs more than running them.
 */
export function asQueryable(sql: Sql | postgres.TransactionSql): Queryable {
  return {
    unsafe: <T>(text: string, params?: readonly unknown[]) =>
      (params && params.length > 0
        ? sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })
        : sql.unsafe(text)) as unknown as Promise<T>,
  };
}

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server (≥ 15). Absent: the embedded PGlite database. */
  readonly databaseUrl?: string;
  /** Embedded database directory, or `memory://`. */
  readonly dataDir?: string;
  /** Embedded `memory://` only: start from this `dump` of another database instead of an empty one. */
  readonly templateFile?: string;
  /** Pool size for a PostgreSQL server (PGlite always uses one connection: it has one session). */
  readonly maxConnections?: number;
}

export interface Database {
  readonly sql: Sql;
  readonly kind: 'postgres' | 'pglite';
  /** Embedded only: writes the data directory to a tar file (a `templateFile`). */
  readonly dump?: (file: string) => Promise<void>;
  close(): Promise<void>;
}

const quiet = { onnotice: () => {} };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    // JIT compilation costs tens of ms on short OLTP queries the planner over-estimates (measured:
    // 36 ms of a 72 ms include query); the store runs only short, index-driven queries.
    const sql = postgres(options.databaseUrl, {
      ...quiet,
      max: options.maxConnections ?? 10,
      connection: { application_name: 'yiyun', jit: 'off' },
    });
    return { sql, kind: 'postgres', close: () => sql.end({ timeout: 5 }) };
  }
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres(
    options.dataDir ?? 'memory://',
    options.templateFile,
  );
  const sql = postgres({
    ...quiet,
    path: embedded.socketPath,
    database: 'postgres',
    username: 'postgres',
    max: 1,
  });
  return {
    sql,
    kind: 'pglite',
    dump: (file) => embedded.dump(file),
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.close();
    },
  };
}
