import type { Resource } from '@medplum/fhirtypes';
import type { IndexKind } from '../indexing/write-index.ts';
import { isUniqueViolation } from '../repository/rows.ts';
import { asQueryable } from '../sql/connect.ts';
import type { AccessTable } from './copy-writer.ts';
import { copyPayload } from './copy-writer.ts';
import { allocateRids, existingKeys, writeResources } from './import-batch.ts';
import type { ImportOptions, ImportRun, NdjsonSource } from './import-ndjson.ts';
import { parseAndValidate } from './parse-line.ts';
import type { PreparedChunk } from './prepare-worker.ts';
import { PrepareWorkerPool } from './worker-pool.ts';

interface Chunk {
  readonly source: string;
  readonly lines: { text: string; line: number }[];
}

async function* chunks(sources: Iterable<NdjsonSource>, size: number, run: ImportRun): AsyncGenerator<Chunk> {
  for (const source of sources) {
    let lines: { text: string; line: number }[] = [];
    let lineNo = 0;
    for await (const text of source.lines) {
      lineNo++;
      if (text.trim() === '') continue;
      run.progress.read++;
      lines.push({ text, line: lineNo });
      if (lines.length >= size) {
        yield { source: source.name, lines };
        lines = [];
      }
    }
    if (lines.length) yield { source: source.name, lines };
  }
}

/** Has a key twice, or a key that exists already: then the batch takes the ordinary path. */
async function needsSlowPath(options: ImportOptions, prepared: PreparedChunk): Promise<boolean> {
  if (new Set(prepared.keys).size !== prepared.keys.length) return true;
  const pairs = prepared.keys.map((k) => {
    const slash = k.indexOf('/');
    return { resourceType: k.slice(0, slash), id: k.slice(slash + 1) } as Resource;
  });
  return (await existingKeys(asQueryable(options.database.sql), pairs)).size > 0;
}

async function writeChunk(options: ImportOptions, run: ImportRun, chunk: Chunk, prepared: PreparedChunk) {
  for (const f of prepared.failures) run.fail(chunk.source, f.line, f.message);
  if (prepared.keys.length === 0) return;
  if (!(await needsSlowPath(options, prepared))) {
    try {
      await options.database.sql.begin((tx) =>
        copyPayload(tx, {
          resource: prepared.resource,
          index: new Map(prepared.index as [IndexKind, string][]),
          access: new Map(prepared.access as [AccessTable, string][]),
        }),
      );
      await run.record({ created: prepared.keys.length, updated: 0 });
      return;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  const resources = prepared.valid.map(
    (i) => parseAndValidate(chunk.lines[i]!.text, options.validate) as Resource,
  );
  await run.record(await writeResources(resources, options));
}

/**
 * Bulk import with worker threads: chunks are prepared (parsed, validated, indexed, serialised for
 * COPY) in parallel and written in their original order, so a later line for the same id is always
 * the later version. Chunks whose ids already exist take the ordinary versioned path.
 */
export async function importParallel(
  sources: Iterable<NdjsonSource>,
  options: ImportOptions,
  run: ImportRun,
) {
  const size = options.batchSize ?? 2_000;
  const workers = options.workers ?? 2;
  const pool = await PrepareWorkerPool.start(workers, {
    customParams: options.customSearchParameters ?? [],
    sensitivityRules: options.sensitivityRules,
  });
  const queue: { chunk: Chunk; prepared: Promise<PreparedChunk> }[] = [];
  let seq = 0;
  try {
    for await (const chunk of chunks(sources, size, run)) {
      const rids = await allocateRids(asQueryable(options.database.sql), chunk.lines.length);
      const prepared = pool.prepare({ seq: seq++, lines: chunk.lines, rids, now: new Date().toISOString() });
      prepared.catch(() => {}); // awaited in order below
      queue.push({ chunk, prepared });
      while (queue.length > workers * 2) {
        const head = queue.shift()!;
        await writeChunk(options, run, head.chunk, await head.prepared);
      }
    }
    for (const head of queue.splice(0)) await writeChunk(options, run, head.chunk, await head.prepared);
  } finally {
    await pool.close();
  }
}
