import { resolve } from 'node:path';
import { type AppError, isAppError } from '@yiyun/fhir';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_OPTIONS } from '../options.ts';
import { runSynth, type SynthRunOptions } from './run-synth.ts';

export { runSynth, type SynthRunOptions, type SynthRunSummary } from './run-synth.ts';

/** Exit code for bad usage (unknown flag, bad value, unwritable output, unreachable or refusing server). */
export const USAGE_EXIT_CODE = 2;

function positiveInteger(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new InvalidArgumentError(`${name} must be a positive integer.`);
    return Number(value);
  };
}

/** The `synth` command (commander). exitOverride is on: usage errors throw CommanderError (see exitCodeFor). */
export function synthCommand(): Command {
  return new Command('synth')
    .description(
      'Generate a synthetic region (Xiamen-like city): institutions, residents, care history, ground truth',
    )
    .option('--seed <string>', 'seed; the same seed gives byte-identical output', DEFAULT_OPTIONS.seed)
    .option('--as-of <date>', 'simulated "today" (YYYY-MM-DD), never the clock', DEFAULT_OPTIONS.asOf)
    .addOption(
      new Option('--residents <n>', 'number of residents')
        .argParser(positiveInteger('--residents'))
        .default(DEFAULT_OPTIONS.residents),
    )
    .addOption(
      new Option('--years <n>', 'years of care history')
        .argParser(positiveInteger('--years'))
        .default(DEFAULT_OPTIONS.years),
    )
    .option(
      '--out <dir>',
      `output directory (one <Type>.ndjson per type, ground-truth/, dicom/); default ${DEFAULT_OPTIONS.out}, ` +
        'or with --server a temp dir whose NDJSON is removed once loaded',
    )
    .option(
      '--server <url>',
      'load the region into a running Yiyun server (e.g. http://127.0.0.1:8080) through Bulk Data $import',
    )
    .addOption(
      new Option('--token <bearer>', 'bearer token sent on every request to --server').env('YIYUN_TOKEN'),
    )
    .option('--dicom', 'also write a small DICOM file per ImagingStudy into <out>/dicom/', false)
    .option(
      '--outbreaks',
      'inject local outbreaks (ground truth in <out>/ground-truth/outbreaks.json)',
      false,
    )
    .exitOverride()
    .configureOutput({
      outputError: (message, write) => write(`yiyun synth: ${message.replace(/^error: /, '')}`),
    })
    .action(async function (this: Command, raw: Record<string, unknown>) {
      try {
        const summary = await runSynth(runOptions(raw));
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        if ((summary.failed ?? 0) > 0) {
          const files = summary.load?.errorFiles.join(', ') ?? '';
          process.stderr.write(`yiyun synth: the server rejected ${summary.failed} resources (${files})\n`);
          process.exitCode = 1;
        }
      } catch (err) {
        if (!isAppError(err)) throw err;
        // Usage errors leave through commander (exit code 2 from either entry point); a failed
        // job or server error is reported without a stack and exits 1.
        if (isUsageError(err))
          this.error(err.message, { exitCode: USAGE_EXIT_CODE, code: 'yiyun.synth.usage' });
        process.stderr.write(`yiyun synth: ${err.message}\n`);
        process.exitCode = 1;
      }
    });
}

function runOptions(raw: Record<string, unknown>): SynthRunOptions {
  const text = (key: string) => (typeof raw[key] === 'string' ? raw[key] : undefined);
  const out = text('out');
  return {
    seed: String(raw['seed']),
    asOf: String(raw['asOf']),
    residents: Number(raw['residents']),
    years: Number(raw['years']),
    out: out === undefined ? undefined : resolve(out),
    server: text('server'),
    token: text('token'),
    dicom: raw['dicom'] === true,
    outbreaks: raw['outbreaks'] === true,
  };
}

/** Errors the user fixes by changing the command or its target (4xx-like), as opposed to failed jobs. */
function isUsageError(err: AppError): boolean {
  return err.status < 500 && err.code !== 'unprocessable';
}

/** Maps an error thrown by parsing or running the command to a process exit code (and message). */
export function exitCodeFor(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : USAGE_EXIT_CODE;
  }
  if (isAppError(err) && isUsageError(err)) {
    stderr.write(`yiyun synth: ${err.message}\n`);
    return USAGE_EXIT_CODE;
  }
  const text = isAppError(err)
    ? err.message
    : err instanceof Error
      ? (err.stack ?? err.message)
      : String(err);
  stderr.write(`yiyun synth: ${text}\n`);
  return 1;
}
