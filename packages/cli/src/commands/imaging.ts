import { type Imaging, openImaging } from '@yiyun/server';
import { type Config, ConfigError } from '@yiyun/server/config';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { pino } from 'pino';
import { loadPlatformSecrets } from '../serve/secrets.ts';
import {
  configWithFlags,
  type DatabaseFlags,
  exitOnConfigError,
  openConfiguredStore,
  withDatabaseFlags,
} from './database-flags.ts';

type Images = Imaging['images'];

interface LifecycleFlags extends DatabaseFlags {
  olderThanDays?: string;
  idleDays?: string;
}

interface ScrubFlags extends DatabaseFlags {
  shallow?: boolean;
}

/**
 * Opens the cloud PACS exactly as `yiyun serve` does (same store, tiers, cipher and master keys:
 * YIYUN_IMAGE_KEYS, else the key derived from the platform secret), runs `fn`, and closes it.
 * Logs go to stderr; stdout carries the JSON report.
 */
async function withImages(flags: DatabaseFlags, fn: (images: Images, config: Config) => Promise<void>) {
  const config = configWithFlags(flags);
  const store = await openConfiguredStore(config, { registryPollMs: 0 });
  try {
    const secrets = await loadPlatformSecrets({
      dataDir: config.dataDir,
      ...(config.masterKey ? { masterKey: config.masterKey } : {}),
    });
    const logger = pino({ level: config.logLevel, base: { service: 'yiyun' } }, pino.destination(2));
    const imaging = await openImaging({ store, config, derivedMasterKey: secrets.imageMasterKey, logger });
    try {
      await fn(imaging.images, config);
    } finally {
      await imaging.close();
    }
  } finally {
    await store.close();
  }
}

/**
 * A bar over the catalog's object count on stderr (a job's reports are cumulative and carry no
 * total). Redrawn on a terminal, a plain line every few seconds elsewhere.
 */
async function progressBar(images: Images, label: string) {
  const total = (await images.health()).objects;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} objects | {detail}`,
      stream: process.stderr,
      hideCursor: process.stderr.isTTY === true,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  return {
    update: (value: number, detail: string) => bar.update(Math.min(value, total), { detail }),
    stop: () => bar.stop(),
  };
}

function days(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 36_500)
    throw new ConfigError(`${name} must be a whole number of days (0–36500), got "${value}"`);
  return n;
}

function report(value: object): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function runLifecycle(flags: LifecycleFlags): Promise<void> {
  // Checked before the store opens: a typo costs no start-up.
  const olderThan = days(flags.olderThanDays, '--older-than-days');
  const idle = days(flags.idleDays, '--idle-days');
  await withImages(flags, async (images, config) => {
    const olderThanDays = olderThan ?? config.imageHotDays;
    const idleDays = idle ?? config.imageIdleDays;
    const bar = await progressBar(images, 'lifecycle');
    const result = await images
      .lifecycle({
        olderThanDays,
        idleDays,
        onProgress: (r) => bar.update(r.moved + r.skipped, `${r.studies} studies, ${r.moved} moved`),
      })
      .finally(() => bar.stop());
    report({ olderThanDays, idleDays, ...result });
    console.error(
      `Moved ${result.moved} objects of ${result.studies} studies to the cold tier; ${result.skipped} stay hot for now.`,
    );
  });
}

async function runScrub(flags: ScrubFlags): Promise<void> {
  await withImages(flags, async (images) => {
    const bar = await progressBar(images, flags.shallow ? 'scrub (shallow)' : 'scrub');
    const result = await images
      .scrub({
        deep: !flags.shallow,
        onProgress: (r) => bar.update(r.checked, `${r.repaired + r.replicated} repaired`),
      })
      .finally(() => bar.stop());
    report(result);
    console.error(
      `Checked ${result.checked} objects: ${result.missing} missing and ${result.corrupt} corrupt copies, ` +
        `${result.repaired} repaired, ${result.replicated} replicated, ${result.unrecoverable} unrecoverable, ` +
        `${result.underReplicated} still under-replicated.`,
    );
    if (result.underReplicated > 0)
      console.error('Some objects lack copies (a backend is down?): run the scrub again once it is back.');
    if (result.unrecoverable > 0) {
      console.error('Objects with no good copy left remain in the catalog: restore them from a backup.');
      process.exitCode = 1;
    }
  });
}

async function runRotate(flags: DatabaseFlags): Promise<void> {
  await withImages(flags, async (images) => {
    const bar = await progressBar(images, 'rotate-keys');
    const result = await images
      .rotateKeys({ onProgress: (r) => bar.update(r.rewrapped + r.failed, `${r.failed} failed`) })
      .finally(() => bar.stop());
    report(result);
    console.error(`Re-wrapped ${result.rewrapped} data keys with master key ${result.masterKey}.`);
    if (result.failed > 0) {
      console.error(
        `${result.failed} data keys could not be re-wrapped: is their master key still in the ring?`,
      );
      process.exitCode = 1;
    }
  });
}

async function runStatus(flags: DatabaseFlags): Promise<void> {
  await withImages(flags, async (images) => {
    const health = await images.health();
    report(health);
    if (health.status !== 'ok') process.exitCode = 1;
  });
}

/** `yiyun imaging …`: storage maintenance of the cloud PACS, offline or beside running servers. */
export function imagingCommand(): Command {
  const command = new Command('imaging').description('The cloud PACS image store: maintenance and status');
  command.addCommand(
    withDatabaseFlags(new Command('lifecycle'))
      .description('Move studies older than N days and idle for M days from the hot to the cold tier')
      .option('--older-than-days <n>', 'stored more than this many days ago (default YIYUN_IMAGE_HOT_DAYS)')
      .option('--idle-days <n>', 'and not read for this many days (default YIYUN_IMAGE_IDLE_DAYS)')
      .action(exitOnConfigError(runLifecycle)),
  );
  command.addCommand(
    withDatabaseFlags(new Command('scrub'))
      .description(
        'Check every copy (SHA-256), repair missing or corrupt ones, top replication up; exit 1 when objects are unrecoverable',
      )
      .option('--shallow', 'only check that each copy exists (no read)')
      .action(exitOnConfigError(runScrub)),
  );
  command.addCommand(
    withDatabaseFlags(new Command('rotate-keys'))
      .description('Re-wrap every data key with the current image master key (first in YIYUN_IMAGE_KEYS)')
      .action(exitOnConfigError(runRotate)),
  );
  command.addCommand(
    withDatabaseFlags(new Command('status'))
      .description('Storage health as JSON (tiers, degraded mode, objects); exit 1 unless ok')
      .action(exitOnConfigError(runStatus)),
  );
  for (const sub of command.commands) sub.exitOverride().showHelpAfterError();
  return command;
}
