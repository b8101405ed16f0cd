import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createPlatform } from '@yiyun/server';
import type { Config } from '@yiyun/server/config';
import { openStore, type Store } from '@yiyun/store';
import { type Logger, pino } from 'pino';
import { createDemoProgressBar, type DemoOutcome, ensureDemoRegion, formatBanner } from '../demo/index.ts';

const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Loads the demo region into an empty store before the server listens (a client never sees a
 * half-loaded region). A signal meanwhile stops the load and closes the store cleanly; the next
 * start finishes the load.
 */
async function prepareDemo(store: Store, config: Config, logger: Logger): Promise<DemoOutcome> {
  const controller = new AbortController();
  let received: string | undefined;
  const onSignal = (signal: string) => {
    received = signal;
    controller.abort(new Error(`demo load stopped by ${signal}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const outcome = await ensureDemoRegion({
      store,
      residents: config.demoResidents,
      dataDir: config.dataDir,
      progress: (residents) => createDemoProgressBar(residents),
      signal: controller.signal,
    });
    if (outcome.kind === 'loaded') {
      const { residents, created, updated, failed, seconds } = outcome.result;
      logger.info({ residents, resources: created + updated, failed, seconds }, 'demo region loaded');
      if (failed > 0) logger.warn({ failed }, 'demo resources failed validation');
    }
    return outcome;
  } catch (err) {
    await store.close();
    if (received === undefined) throw err;
    logger.warn({ signal: received }, 'demo load interrupted; the next start finishes it');
    process.exit(SIGNAL_EXIT_CODES[received] ?? 1);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Composition root: builds every dependency once, serves, and shuts down cleanly on a signal. */
export async function startServer(config: Config): Promise<{ close(): Promise<void> }> {
  const logger = pino({ level: config.logLevel, base: { service: 'yiyun' } });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pg'),
  });
  logger.info({ store: store.kind }, 'store ready');
  const demo = await prepareDemo(store, config, logger);
  const platform = createPlatform({ store, config, logger });
  const server = serve({ fetch: platform.app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  platform.start();
  logger.info({ url: config.baseUrl, fhir: `${config.baseUrl}/fhir/R4` }, 'listening');
  process.stdout.write(formatBanner({ baseUrl: config.baseUrl, demo }));
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
