import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError, isAppError } from '@yiyun/fhir';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { generateRegion, type SynthOptions } from '../generate.ts';
import { DEFAULT_OPTIONS, validateSynthOptions } from '../options.ts';
import { ndjsonDirectorySink } from '../sink/ndjson-sink.ts';

/** Exit code for bad usage (unknown flag, bad value, unwritable output). */
export const USAGE_EXIT_CODE = 2;

function positiveInteger(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new InvalidArgumentError(`${name} must be a positive integer.`);
    return Number(value);
  };
}

function ensureWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    throw new AppError('invalid', `output directory ${dir} is not writable (${code})`, { cause: err });
  }
}

function progressBar(stream: NodeJS.WriteStream): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (pct === last || !stream.isTTY) return;
    last = pct;
    stream.write(`\rsynth ${'█'.repeat(pct / 4).padEnd(25, '░')} ${pct}% ${done}/${total} residents`);
    if (done >= total) stream.write('\n');
  };
}

/** Runs a synth job from parsed options; prints the summary as JSON on stdout. */
export async function runSynth(options: SynthOptions): Promise<void> {
  validateSynthOptions(options);
  ensureWritable(options.out);
  const started = performance.now();
  const summary = await generateRegion(
    options,
    ndjsonDirectorySink(options.out),
    progressBar(process.stderr),
  );
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ ...summary, seconds: Math.round(seconds * 100) / 100 }, null, 2)}\n`,
  );
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
      'output directory (one <Type>.ndjson per type, ground-truth/, dicom/)',
      DEFAULT_OPTIONS.out,
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
    .action(async (raw: Record<string, unknown>) => {
      await runSynth({
        seed: String(raw['seed']),
        asOf: String(raw['asOf']),
        residents: Number(raw['residents']),
        years: Number(raw['years']),
        out: resolve(String(raw['out'])),
        dicom: raw['dicom'] === true,
        outbreaks: raw['outbreaks'] === true,
      });
    });
}

/** Maps an error thrown by parsing or running the command to a process exit code (and message). */
export function exitCodeFor(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : USAGE_EXIT_CODE;
  }
  if (isAppError(err) && (err.code === 'invalid' || err.code === 'unsupported')) {
    stderr.write(`yiyun synth: ${err.message}\n`);
    return USAGE_EXIT_CODE;
  }
  stderr.write(`yiyun synth: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
