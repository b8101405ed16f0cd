import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createPlatform } from '@yiyun/server';
import type { Config } from '@yiyun/server/config';
import { openStore } from '@yiyun/store';
import { pino } from 'pino';

/** Composition root: builds every dependency once, serves, and shuts down cleanly on a signal. */
export async function startServer(config: Config): Promise<{ close(): Promise<void> }> {
  const logger = pino({ level: config.logLevel, base: { service: 'yiyun' } });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pg'),
  });
  logger.info({ store: store.kind }, 'store ready');
  const platform = createPlatform({ store, config, logger });
  const server = serve({ fetch: platform.app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  platform.start();
  logger.info({ url: config.baseUrl, fhir: `${config.baseUrl}/fhir/R4` }, 'listening');
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await platform.stop();
    await store.close();
  };
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { close };
}
