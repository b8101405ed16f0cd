import type { Resource } from '@medplum/fhirtypes';
import { AppError, type SearchParamRegistry } from '@yiyun/fhir';
import { INDEX_TABLES } from '../indexing/write-index.ts';
import { asQueryable, type Database } from '../sql/connect.ts';

const ANALYZE_AFTER = 1_000;
const ANALYZED_TABLES = ['resource', ...Object.keys(INDEX_TABLES).map((k) => `sp_${k}`)];

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
  /** Throws AppError for an invalid resource (the validator's assertValid). */
  readonly validate: (resource: unknown) => unknown;
  readonly batchSize?: number;
  /** At most this many issues are kept (all are counted). */
  readonly maxIssues?: number;
  /** Called after each batch; a returned promise is awaited (and may reject to stop the import). */
  readonly onProgress?: (progress: ImportProgress) => unknown;
}

export interface NdjsonSource {
  readonly name: string;
  readonly lines: AsyncIterable<string>;
}

/**
 * Imports NDJSON resources: every line parsed and validated; valid ones written in batches, each batch
 * one transaction. A bad line is reported with its source and line number and does not stop the rest.
 */
export async function importNdjson(
  sources: Iterable<NdjsonSource>,
  options: ImportOptions,
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 2_000;
  const maxIssues = options.maxIssues ?? 1_000;
  const issues: ImportIssue[] = [];
  const progress = { read: 0, created: 0, updated: 0, failed: 0 };
  let batch: Resource[] = [];
  let keys = new Set<string>();
  const fail = (source: string, line: number, message: string) => {
    progress.failed++;
    if (issues.length < maxIssues) issues.push({ source, line, message });
  };
  // One batch is written while the next is prepared (parsed, validated, indexed, serialised):
  // the database and the CPU work side by side.
  let writing: Promise<void> = Promise.resolve();
  const record = async (result: BatchResult) => {
    progress.created += result.created;
    progress.updated += result.updated;
    await options.onProgress?.({ ...progress });
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const prepared = await prepareImportBatch(options.database, options.registry, batch);
    batch = [];
    keys = new Set();
    await writing;
    const write = writePreparedBatch(options.database, options.registry, prepared).then(record);
    write.catch(() => {}); // handled: the next flush (or the end) awaits it and rethrows
    writing = write;
  };
  for (const source of sources) {
    let lineNo = 0;
    for await (const text of source.lines) {
      lineNo++;
      if (text.trim() === '') continue;
      progress.read++;
      const resource = parseAndValidate(text, options.validate);
      if (typeof resource === 'string') {
        fail(source.name, lineNo, resource);
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
  // Fresh statistics after a large load, or the planner keeps its empty-table estimates until
  // autovacuum gets round to it (measured: 10-100x slower searches meanwhile).
  if (progress.created + progress.updated >= ANALYZE_AFTER) {
    await asQueryable(options.database.sql).unsafe(`analyze ${ANALYZED_TABLES.join(', ')}`);
  }
  return { ...progress, issues };
}

/** The resource, or the reason it was refused. */
function parseAndValidate(text: string, validate: (r: unknown) => unknown): Resource | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'Malformed JSON';
  }
  try {
    validate(value);
  } catch (err) {
    if (err instanceof AppError) {
      const detail = err.issues.find((i) => i.severity === 'error' || i.severity === 'fatal');
      return detail?.diagnostics ? `${err.message}: ${detail.diagnostics}` : err.message;
    }
    throw err;
  }
  return value as Resource;
}
