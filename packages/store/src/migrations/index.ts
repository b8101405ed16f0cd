import { createHash } from 'node:crypto';
import type { Sql } from '../sql/connect.ts';
import * as m0001 from './0001-resources.ts';
import * as m0002 from './0002-bulk-jobs.ts';
import * as m0003 from './0003-settings.ts';
import * as m0004 from './0004-date-span-index.ts';
import * as m0005 from './0005-access.ts';
import * as m0006 from './0006-date-span-by-param.ts';
import * as m0007 from './0007-person-link.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

/** Every migration, in order. Never edit one that has shipped: add the next. */
const MIGRATIONS: readonly Migration[] = [
  { version: 1, ...m0001 },
  { version: 2, ...m0002 },
  { version: 3, ...m0003 },
  { version: 4, ...m0004 },
  { version: 5, ...m0005 },
  { version: 6, ...m0006 },
  { version: 7, ...m0007 },
];

/** Arbitrary constant key for the advisory lock that serialises migrations across server replicas. */
const MIGRATION_LOCK_KEY = 720_190_001;

/** Applies pending migrations, each in its own transaction; safe to call from several replicas at once. */
export async function migrate(sql: Sql): Promise<number[]> {
  const applied: number[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`create table if not exists yiyun_migration (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const rows = await tx<{ version: number }[]>`select version from yiyun_migration`;
    const done = new Set(rows.map((r) => r.version));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await tx.unsafe(migration.up);
      await tx`insert into yiyun_migration (version, name) values (${migration.version}, ${migration.name})`;
      applied.push(migration.version);
    }
  });
  return applied;
}

export const LATEST_MIGRATION = MIGRATIONS.length;

/** Changes whenever a core migration is added (or, against the rule, edited). */
export function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const m of MIGRATIONS) hash.update(`${m.version}\0${m.up}\0`);
  return hash.digest('hex').slice(0, 16);
}

/** The migration that added access facts: rows stored before it are re-indexed once it applies. */
export const ACCESS_MIGRATION = 5;

/** Arbitrary constant key serialising module migrations across replicas (distinct from the core's). */
const MODULE_MIGRATION_LOCK_KEY = 720_190_002;

/**
 * Applies a capability's own migrations (auth, mpi, imaging …) after the core's, tracked per module
 * in `yiyun_module_migration`, in one transaction under an advisory lock: safe from several replicas.
 * Versions start at 1 per module; never edit one that has shipped.
 */
export async function migrateModule(
  sql: Sql,
  module: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  const applied: number[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MODULE_MIGRATION_LOCK_KEY})`;
    await tx`create table if not exists yiyun_module_migration (
      module text not null, version integer not null, name text not null,
      applied_at timestamptz not null default now(), primary key (module, version))`;
    const rows = await tx<{ version: number }[]>`
      select version from yiyun_module_migration where module = ${module}`;
    const done = new Set(rows.map((r) => r.version));
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.unsafe(migration.up);
      await tx`insert into yiyun_module_migration (module, version, name)
        values (${module}, ${migration.version}, ${migration.name})`;
      applied.push(migration.version);
    }
  });
  return applied;
}
