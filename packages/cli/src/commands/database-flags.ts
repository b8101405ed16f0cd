import { join } from 'node:path';
import { ConfigError, loadConfig } from '@yiyun/server/config';
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

/** Opens the store the flags and environment name (PostgreSQL, or the embedded one in the data directory). */
export async function openConfiguredStore(
  flags: DatabaseFlags,
  options: Omit<StoreOptions, 'databaseUrl' | 'dataDir'> = {},
): Promise<Store> {
  const config = loadConfig(process.env, { dataDir: flags.data, databaseUrl: flags.databaseUrl });
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
