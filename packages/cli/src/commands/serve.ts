import { ConfigError, loadConfig } from '@yiyun/server/config';
import { Command, InvalidArgumentError } from 'commander';
import { parseDemoResidents } from '../demo/index.ts';
import { startServer } from '../serve/start-server.ts';

interface ServeFlags {
  port?: number;
  host?: string;
  data?: string;
  databaseUrl?: string;
  demoResidents?: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be a port number');
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the FHIR API (and, as they arrive, DICOMweb and the web app) on one port')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 8080)', port)
    .option('--host <host>', 'interface to bind (env YIYUN_HOST, default 127.0.0.1)')
    .option('-d, --data <dir>', 'embedded database and file directory (env YIYUN_DATA, default ./yiyun-data)')
    .option('--database-url <url>', 'PostgreSQL server instead of the embedded database (env DATABASE_URL)')
    .option(
      '--demo-residents <n>',
      'residents of the synthetic demo region loaded into an EMPTY store before serving; ' +
        '0 = none, as in production (env YIYUN_DEMO_RESIDENTS, default 2000)',
      parseDemoResidents,
    )
    .addHelpText(
      'after',
      '\nOther settings come from YIYUN_* environment variables: see docs/configuration.md.',
    )
    .action(async (opts: ServeFlags) => {
      try {
        const config = loadConfig(process.env, {
          port: opts.port,
          host: opts.host,
          dataDir: opts.data,
          databaseUrl: opts.databaseUrl,
          demoResidents: opts.demoResidents,
        });
        await startServer(config);
      } catch (err) {
        if (err instanceof ConfigError) {
          console.error(err.message);
          process.exit(2);
        }
        throw err;
      }
    });
}
