import { ResidentRegistry } from '@yiyun/mpi';
import { ConfigError, registryThresholds } from '@yiyun/server/config';
import { Command } from 'commander';
import {
  configWithFlags,
  type DatabaseFlags,
  exitOnConfigError,
  openConfiguredStore,
  withDatabaseFlags,
} from './database-flags.ts';

interface TrainFlags extends DatabaseFlags {
  fraction?: string;
  maxRecords?: string;
  relink?: boolean;
}

async function withRegistry(
  flags: DatabaseFlags,
  fn: (registry: ResidentRegistry) => Promise<void>,
): Promise<void> {
  const config = configWithFlags(flags);
  const store = await openConfiguredStore(config, { registryPollMs: 0 });
  try {
    await fn(
      await ResidentRegistry.open({ database: store.database, thresholds: registryThresholds(config) }),
    );
  } finally {
    await store.close();
  }
}

/** Links what is queued (e.g. after `yiyun import`), with a count on a terminal. */
async function drainQueue(registry: ResidentRegistry, queued?: number): Promise<void> {
  const started = Date.now();
  let done = 0;
  const report = await registry.drain({
    actor: 'yiyun mpi relink',
    onBatch: (b) => {
      done += b.linked;
      if (process.stderr.isTTY) process.stderr.write(`\r  ${done}${queued ? `/${queued}` : ''} linked`);
    },
  });
  if (process.stderr.isTTY && done) process.stderr.write('\n');
  if (report.linked === 0) return;
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `Linked ${report.linked} records in ${seconds.toFixed(1)} s (${Math.round(report.linked / Math.max(seconds, 0.001))}/s): ` +
      `${report.newPersons} new persons, ${report.reviews} sent to review.`,
  );
}

async function relink(registry: ResidentRegistry): Promise<void> {
  const queued = await registry.requeueAll();
  console.log(`Re-linking ${queued} Patient records with model ${registry.model.source} …`);
  await drainQueue(registry, queued);
}

function positive(
  value: string | undefined,
  name: string,
  max = Number.POSITIVE_INFINITY,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n <= max)) throw new ConfigError(`${name} must be a number in (0, ${max}], got "${value}"`);
  return n;
}

async function runTrain(flags: TrainFlags): Promise<void> {
  const fraction = positive(flags.fraction, '--fraction', 1);
  const maxRecords = positive(flags.maxRecords, '--max-records');
  await withRegistry(flags, async (registry) => {
    await drainQueue(registry); // records imported offline are not in the registry yet
    const started = Date.now();
    const report = await registry.train({
      ...(fraction ? { fraction } : {}),
      ...(maxRecords ? { maxRecords: Math.floor(maxRecords) } : {}),
    });
    console.log(
      `Trained on ${report.records} records (${report.pairs} blocked pairs, ${report.iterations} EM iterations) ` +
        `in ${((Date.now() - started) / 1000).toFixed(1)} s; λ = ${report.model.prior.toExponential(2)}; model ${report.model.source}.`,
    );
    for (const [field, p] of Object.entries(report.model.fields))
      console.log(
        `  ${field.padEnd(10)} m ${p.m.map((x) => x.toFixed(4)).join(' ')}  u ${p.u.map((x) => x.toExponential(1)).join(' ')}`,
      );
    if (flags.relink) await relink(registry);
    else console.log('New writes use the new model; run `yiyun mpi relink` to re-decide existing links.');
  });
}

export function mpiCommand(): Command {
  const command = new Command('mpi').description('The resident registry (master patient index)');
  command.addCommand(
    withDatabaseFlags(new Command('train'))
      .description('Re-estimate the matching model (m/u weights, λ) by EM from the registered records')
      .option('--fraction <f>', 'train on this share of records, sampled by birth date (0–1]', '1')
      .option('--max-records <n>', 'at most this many records', '300000')
      .option('--relink', 're-link every record with the new model afterwards')
      .action(exitOnConfigError(runTrain)),
  );
  command.addCommand(
    withDatabaseFlags(new Command('relink'))
      .description('Re-decide every link with the current model (manual links and merges are kept)')
      .action(exitOnConfigError((flags: DatabaseFlags) => withRegistry(flags, relink))),
  );
  for (const sub of command.commands) sub.exitOverride().showHelpAfterError();
  return command;
}
