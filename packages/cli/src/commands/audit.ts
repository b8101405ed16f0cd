import { type AuditAnchor, openAuditLog, type VerifyReport } from '@yiyun/auth';
import { ConfigError } from '@yiyun/server/config';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import {
  configWithFlags,
  type DatabaseFlags,
  exitOnConfigError,
  openConfiguredStore,
  withDatabaseFlags,
} from './database-flags.ts';

interface VerifyFlags extends DatabaseFlags {
  anchor?: string;
}

function parseAnchor(value: string | undefined): AuditAnchor | undefined {
  if (value === undefined) return undefined;
  const match = /^([1-9][0-9]*):([0-9a-fA-F]{64})$/.exec(value);
  if (!match)
    throw new ConfigError('--anchor must be BATCH_NO:HASH (64 hex digits), as printed by a previous verify');
  return { batchNo: Number(match[1]), batchHash: match[2]!.toLowerCase() };
}

function printReport(report: VerifyReport): void {
  console.log(
    `Audit log: ${report.batches} sealed batches, ${report.sealedEvents} sealed events, ` +
      `${report.unsealed.count} not yet sealed.`,
  );
  if (report.head) {
    const { batchNo, lastSeq, batchHash, algorithm, sealedAt } = report.head;
    console.log(
      `Head: batch ${batchNo} (events up to ${lastSeq}, ${algorithm}, sealed ${sealedAt.toISOString()})`,
    );
    console.log(`Head hash: ${batchHash}`);
    console.log(
      `Anchor: ${batchNo}:${batchHash}  (record it outside the database; pass it back with --anchor)`,
    );
  }
  if (report.ok) {
    console.log('Chain intact.');
    return;
  }
  const first = report.firstProblem;
  console.log(`TAMPERED: ${report.problemCount} problem(s).`);
  if (first)
    console.log(
      `First bad entry: ${first.seq === undefined ? '' : `seq ${first.seq} `}[${first.kind}] ${first.message}`,
    );
  for (const p of report.problems.slice(1, 10)) console.log(`  [${p.kind}] ${p.message}`);
}

async function runVerify(flags: VerifyFlags): Promise<void> {
  const anchor = parseAnchor(flags.anchor);
  const store = await openConfiguredStore(configWithFlags(flags), { registryPollMs: 0 });
  try {
    const audit = await openAuditLog({ sql: store.database.sql });
    // Drawn on a terminal only (cli-progress stays silent when stderr is not a TTY).
    const bar = new cliProgress.SingleBar(
      { format: 'verify [{bar}] {value}/{total} batches | {events} events', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const report = await audit
      .verify({
        anchor,
        onProgress: (p) => {
          if (!started) bar.start(p.totalBatches, 0, { events: 0 });
          started = true;
          bar.update(p.batches, { events: p.events });
        },
      })
      .finally(() => bar.stop());
    await audit.close();
    printReport(report);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

function verifyCommand(): Command {
  return withDatabaseFlags(new Command('verify'))
    .description(
      'Check the hash chain of the audit log; exit 0 when intact, 1 when tampered (names the first bad entry)',
    )
    .option('--anchor <batch:hash>', 'a head printed earlier: fails if that batch is gone or differs')
    .action(exitOnConfigError(runVerify));
}

export function auditCommand(): Command {
  const command = new Command('audit').description('The audit log: verify its hash chain');
  command.addCommand(verifyCommand());
  for (const sub of command.commands) sub.exitOverride().showHelpAfterError();
  return command;
}
