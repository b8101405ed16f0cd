import { join } from 'node:path';
import { type Config, ConfigError, loadConfig } from '@yiyun/server/config';
import { openStore, type Store, type StoreOptions } from '@yiyun/store';
import type { Command } from 'commander';

/** The database flags every offline command takes. */
export interface DatabaseFlags {
  data?: string;
  databaseUrl?: string;
}

export function withDatabaseFlags(command: Command): Command {
  return command
    .option(
      '-d, --data <dir>',
      'embedded database directory (env YIYUN_DATA); the server must not be running on it',
    )
    .option('--database-url <url>', 'PostgreSQL server (env DATABASE_URL)');
}

/** The configuration of the environment with the command's database flags applied. */
export function configWithFlags(flags: DatabaseFlags): Config {
  return loadConfig(process.env, { dataDir: flags.data, databaseUrl: flags.databaseUrl });
}

/** Opens the store the configuration names (PostgreSQL, or the embedded one in the data directory). */
export async function openConfiguredStore(
  config: Config,
  options: Omit<StoreOptions, 'databaseUrl' | 'dataDir'> = {},
): Promise<Store> {
  return openStore({
    ...options,
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pg'),
  });
}

/** Runs a command's action; a configuration error is printed and exits with the usage code 2. */
export function exitOnConfigError<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (err) {
      if (err instanceof ConfigError) {
        console.error(err.message);
        process.exit(2);
      }
      throw err;
    }
  };
}
