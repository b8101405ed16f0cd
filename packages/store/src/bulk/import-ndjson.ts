import type { Resource, SearchParameter } from '@medplum/fhirtypes';
import type { SearchParamRegistry, SensitivityRule } from '@yiyun/fhir';
import { INDEX_TABLES } from '../indexing/write-index.ts';
import { asQueryable, type Database } from '../sql/connect.ts';
import { importParallel } from './import-parallel.ts';
import { parseAndValidate } from './parse-line.ts';

const ANALYZE_AFTER = 1_000;
const ANALYZED_TABLES = [
  'resource',
  ...Object.keys(INDEX_TABLES).map((k) => `sp_${k}`),
  'care_relation',
  'consent_directive',
];

import { type BatchResult, prepareImportBatch, writePreparedBatch } from './import-batch.ts';

export interface ImportIssue {
  /** Source name (file or URL) and 1-based line number. */
  readonly source: string;
  readonly line: number;
  readonly message: string;
}

export interface ImportProgress {
  readonly read: number;
  readonly created: number;
  readonly updated: number;
  readonly failed: number;
}

export interface ImportReport extends ImportProgress {
  readonly issues: readonly ImportIssue[];
}

export interface ImportOptions {
  readonly database: Database;
  readonly registry: SearchParamRegistry;
  /** Sensitivity-labelling rules (default: the built-in ICD-10 rules). */
  readonly sensitivityRules?: readonly SensitivityRule[];
  /** Throws AppError for an invalid resource (the validator's assertValid). */
  readonly validate: (resource: unknown) => unknown;
  readonly batchSize?: number;
  /** At most this many issues are kept (all are counted). */
  readonly maxIssues?: number;
  /** Worker threads preparing batches in parallel (PostgreSQL server only; 0 = on this thread). */
  readonly workers?: number;
  /** Custom SearchParameters active in `registry`, for the workers' own registries. */
  readonly customSearchParameters?: readonly SearchParameter[];
  /** Called after each batch; a returned promise is awaited (and may reject to stop the import). */
  readonly onProgress?: (progress: ImportProgress) => unknown;
}

export interface NdjsonSource {
  readonly name: string;
  readonly lines: AsyncIterable<string>;
}

/** Counting and reporting shared by both import paths. */
export class ImportRun {
  readonly progress = { read: 0, created: 0, updated: 0, failed: 0 };
  readonly issues: ImportIssue[] = [];
  readonly #options: ImportOptions;

  constructor(options: ImportOptions) {
    this.#options = options;
  }

  fail(source: string, line: number, message: string): void {
    this.progress.failed++;
    if (this.issues.length < (this.#options.maxIssues ?? 1_000)) this.issues.push({ source, line, message });
  }

  async record(result: BatchResult): Promise<void> {
    this.progress.created += result.created;
    this.progress.updated += result.updated;
    await this.#options.onProgress?.({ ...this.progress });
  }
}

/**
 * Imports NDJSON resources: every line parsed and validated; valid ones written in batches, each batch
 * one transaction. A bad line is reported with its source and line number and does not stop the rest.
 * With `workers` on a PostgreSQL server, worker threads prepare batches in parallel (import-parallel.ts).
 */
export async function importNdjson(
  sources: Iterable<NdjsonSource>,
  options: ImportOptions,
): Promise<ImportReport> {
  const run = new ImportRun(options);
  if (options.workers && options.database.kind === 'postgres') await importParallel(sources, options, run);
  else await importSequential(sources, options, run);
  // Fresh statistics after a large load, or the planner keeps its empty-table estimates until
  // autovacuum gets round to it (measured: 10-100x slower searches meanwhile).
  if (run.progress.created + run.progress.updated >= ANALYZE_AFTER) {
    await asQueryable(options.database.sql).unsafe(`analyze ${ANALYZED_TABLES.join(', ')}`);
  }
  return { ...run.progress, issues: run.issues };
}

async function importSequential(sources: Iterable<NdjsonSource>, options: ImportOptions, run: ImportRun) {
  const batchSize = options.batchSize ?? 2_000;
  let batch: Resource[] = [];
  let keys = new Set<string>();
  // One batch is written while the next is prepared (parsed, validated, indexed, serialised):
  // the database and the CPU work side by side.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const prepared = await prepareImportBatch(options.database, options, batch);
    batch = [];
    keys = new Set();
    await writing;
    const write = writePreparedBatch(options.database, options, prepared).then((r) => run.record(r));
    write.catch(() => {}); // handled: the next flush (or the end) awaits it and rethrows
    writing = write;
  };
  for (const source of sources) {
    let lineNo = 0;
    for await (const text of source.lines) {
      lineNo++;
      if (text.trim() === '') continue;
      run.progress.read++;
      const resource = parseAndValidate(text, options.validate);
      if (typeof resource === 'string') {
        run.fail(source.name, lineNo, resource);
        continue;
      }
      const key = resource.id ? `${resource.resourceType}/${resource.id}` : undefined;
      if (key && keys.has(key)) await flush();
      if (key) keys.add(key);
      batch.push(resource);
      if (batch.length >= batchSize) await flush();
    }
  }
  await flush();
  await writing;
}
