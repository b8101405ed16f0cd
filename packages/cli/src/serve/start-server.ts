import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createProjector, createSearchParamRegistry, createValidator } from '@yiyun/fhir';
import { createApp } from '@yiyun/server';
import type { Config } from '@yiyun/server/config';
import { openStore } from '@yiyun/store';
import { pino } from 'pino';

/** Composition root: builds every dependency once, serves, and shuts down cleanly on a signal. */
export async function startServer(config: Config): Promise<{ close(): Promise<void> }> {
  const logger = pino({ level: config.logLevel, base: { service: 'yiyun' } });
  const registry = createSearchParamRegistry();
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pg'),
    registry,
  });
  logger.info({ store: store.kind }, 'store ready');
  const app = createApp({
    store,
    registry,
    validator: createValidator(),
    projector: createProjector(),
    logger,
    config: {
      baseUrl: `${config.baseUrl}/fhir/R4`,
      maxBodyBytes: config.maxBodyBytes,
      defaultCount: config.defaultCount,
      maxCount: config.maxCount,
    },
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  logger.info({ url: config.baseUrl, fhir: `${config.baseUrl}/fhir/R4` }, 'listening');
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
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
