/**
 * The physical reference for ingest: PostgreSQL's own COPY of exactly the rows Yiyun stored
 * (resources and their search-index rows, as the schema lays them out), into empty tables with the
 * same indexes. Server-side COPY from files, so no client or network cost is counted.
 */
import type postgres from 'postgres';

const TABLES = [
  'resource',
  'sp_token',
  'sp_string',
  'sp_date',
  'sp_number',
  'sp_quantity',
  'sp_reference',
  'sp_uri',
  'sp_composite',
  'patient_person',
  'care_relation',
  'consent_directive',
];

export interface RawCopyResult {
  readonly seconds: number;
  readonly rows: Record<string, number>;
}

export async function measureRawCopy(sql: postgres.Sql, scratchDir: string): Promise<RawCopyResult> {
  await sql.unsafe('drop schema if exists raw_copy cascade');
  await sql.unsafe('create schema raw_copy');
  const rows: Record<string, number> = {};
  for (const table of TABLES) {
    await sql.unsafe(`create table raw_copy.${table} (like public.${table} including all)`);
    const file = `${scratchDir}/${table}.copy`;
    const result = await sql.unsafe(`copy public.${table} to '${file}'`);
    rows[table] = result.count;
  }
  await sql.unsafe('checkpoint');
  const started = performance.now();
  for (const table of TABLES) {
    await sql.unsafe(`copy raw_copy.${table} from '${scratchDir}/${table}.copy'`);
  }
  const seconds = (performance.now() - started) / 1000;
  await sql.unsafe('drop schema raw_copy cascade');
  return { seconds, rows };
}
