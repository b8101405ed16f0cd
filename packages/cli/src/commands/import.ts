import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createSearchParamRegistry, createValidator } from '@yiyun/fhir';
import { ConfigError } from '@yiyun/server/config';
import { importNdjson, type NdjsonSource } from '@yiyun/store';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import {
  configWithFlags,
  type DatabaseFlags,
  exitOnConfigError,
  openConfiguredStore,
  withDatabaseFlags,
} from './database-flags.ts';

interface ImportFlags extends DatabaseFlags {
  batchSize?: string;
}

/** Lines of one file, counting bytes read so that the progress bar can show them. */
async function* fileLines(path: string, onBytes: (n: number) => void): AsyncGenerator<string> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  stream.on('data', (chunk) => onBytes(Buffer.byteLength(chunk as string)));
  yield* createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
}

async function ndjsonFiles(dir: string): Promise<{ path: string; size: number }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.ndjson')).sort();
  } catch {
    throw new ConfigError(`Cannot read directory ${dir}`);
  }
  if (names.length === 0) throw new ConfigError(`No .ndjson files in ${dir}`);
  return Promise.all(names.map(async (n) => ({ path: join(dir, n), size: (await stat(join(dir, n))).size })));
}

async function runImport(dir: string, flags: ImportFlags): Promise<void> {
  const batchSize = flags.batchSize ? Number(flags.batchSize) : 2_000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ConfigError('--batch-size must be a positive integer');
  const files = await ndjsonFiles(dir);
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const registry = createSearchParamRegistry();
  const validator = createValidator();
  const store = await openConfiguredStore(configWithFlags(flags), { registry });
  const bar = new cliProgress.SingleBar(
    {
      format: 'import [{bar}] {percentage}% | {value}/{total} MB | {resources} resources | {rate}/s',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let bytes = 0;
  const started = Date.now();
  bar.start(Math.ceil(totalBytes / 1e6), 0, { resources: 0, rate: 0 });
  try {
    const sources: NdjsonSource[] = files.map((f) => ({
      name: f.path,
      lines: fileLines(f.path, (n) => (bytes += n)),
    }));
    const report = await importNdjson(sources, {
      database: store.database,
      registry,
      validate: (r) => validator.assertValid(r),
      workers: Math.max(1, Math.min(4, availableParallelism())),
      customSearchParameters: await store.customSearchParameters(),
      batchSize,
      onProgress: (p) => {
        const done = p.created + p.updated;
        bar.update(Math.floor(bytes / 1e6), {
          resources: done,
          rate: Math.round(done / ((Date.now() - started) / 1000)),
        });
      },
    });
    bar.update(Math.ceil(totalBytes / 1e6));
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `Imported ${report.created} new and ${report.updated} updated resources in ${seconds.toFixed(1)} s ` +
        `(${Math.round((report.created + report.updated) / seconds)}/s); ${report.failed} rejected.`,
    );
    for (const issue of report.issues.slice(0, 20))
      console.log(`  ${issue.source}:${issue.line}: ${issue.message}`);
    if (report.failed > 0) process.exitCode = 1;
  } finally {
    bar.stop();
    await store.close();
  }
}

export function importCommand(): Command {
  return withDatabaseFlags(new Command('import'))
    .description('Import a directory of FHIR NDJSON files (one resource per line) straight into the database')
    .argument('<dir>', 'directory with *.ndjson files (e.g. the output of `yiyun synth` or a bulk export)')
    .option('--batch-size <n>', 'resources per transaction', '2000')
    .action(exitOnConfigError(runImport));
}
