import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccountStore } from '@yiyun/auth';
import { openHealthCards, ResidentRegistry } from '@yiyun/mpi';
import {
  createNodeListener,
  createPlatform,
  ensureWebClient,
  type Imaging,
  openImaging,
  openSecurity,
  type Security,
  startDimseListener,
  storageMaintenance,
  tuneHeapForServing,
} from '@yiyun/server';
import { type Config, ConfigError, registryThresholds } from '@yiyun/server/config';
import { openStore, type Store } from '@yiyun/store';
import { type Logger, pino } from 'pino';
import {
  createDemoImagesProgressBar,
  createDemoProgressBar,
  type DemoOutcome,
  ensureDemoHealthCard,
  ensureDemoImages,
  ensureDemoRegion,
  formatBanner,
} from '../demo/index.ts';
import { ensureBootstrapClient, ensureDemoClient } from './clients.ts';
import { loadPlatformSecrets, type PlatformSecrets } from './secrets.ts';

/** Area code (GB/T 2260) of new health card numbers: 厦门市 (Xiamen), the demo region's city. */
const HEALTH_CARD_AREA = '350200';

const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Loads the demo region into an empty store before the server listens (a client never sees a
 * half-loaded region). A signal meanwhile stops the load and closes the store cleanly; the next
 * start finishes the load.
 */
async function prepareDemo(
  store: Store,
  accounts: AccountStore,
  config: Config,
  logger: Logger,
): Promise<DemoOutcome> {
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
      accounts,
    });
    if (outcome.kind === 'loaded') {
      const { residents, created, updated, failed, seconds } = outcome.result;
      logger.info({ residents, resources: created + updated, failed, seconds }, 'demo region loaded');
      if (failed > 0) logger.warn({ failed }, 'demo resources failed validation');
    }
    if (outcome.kind !== 'off' && outcome.accounts && outcome.accounts.created > 0)
      logger.info({ created: outcome.accounts.created }, 'demo accounts created');
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

/**
 * Sends the demo region's images to the PACS before the server listens (once: see
 * `ensureDemoImages`). A signal meanwhile stops after the instances in flight and closes cleanly;
 * the next start finishes.
 */
async function prepareDemoImages(deps: {
  store: Store;
  imaging: Imaging;
  security: Security;
  config: Config;
  logger: Logger;
}): Promise<void> {
  const { store, imaging, security, config, logger } = deps;
  const controller = new AbortController();
  let received: string | undefined;
  const onSignal = (signal: string) => {
    received = signal;
    controller.abort(new Error(`demo images stopped by ${signal}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const outcome = await ensureDemoImages({
      imaging,
      store,
      authorize: (principal) => security.auth.authorize(principal),
      residents: config.demoResidents,
      dataDir: config.dataDir,
      progress: (studies) => createDemoImagesProgressBar(studies),
      signal: controller.signal,
    });
    if (outcome.kind !== 'loaded') return;
    const { failures, ...counts } = outcome.result;
    logger.info(counts, 'demo images stored');
    if (counts.failed > 0) logger.warn({ failures }, 'demo images failed; the next start retries them');
  } catch (err) {
    await Promise.allSettled([imaging.close(), security.close()]);
    await store.close();
    if (received === undefined) throw err;
    logger.warn({ signal: received }, 'demo images interrupted; the next start finishes them');
    process.exit(SIGNAL_EXIT_CODES[received] ?? 1);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Accounts, audit log and identity provider on the store's database, keyed by the platform secret. */
async function openPlatformSecurity(
  store: Store,
  config: Config,
  logger: Logger,
  secrets: PlatformSecrets,
): Promise<Security> {
  const security = await openSecurity({
    database: store.database,
    issuer: config.baseUrl,
    logger,
    cookieKeys: secrets.cookieKeys,
    keyEncryptionKey: secrets.keyEncryptionKey,
    totpKey: secrets.totpKey,
    auditHash: config.auditHash,
    accessTokenSeconds: config.accessTokenSeconds,
    policy: {
      careWindowDays: config.careWindowDays,
      defaultShare: config.defaultShare,
      breakGlassMinutes: config.breakGlassMinutes,
    },
  });
  if (config.bootstrapClient) await ensureBootstrapClient(security.idp, config.bootstrapClient);
  await ensureWebClient(security.idp, config.baseUrl);
  return security;
}

/** Composition root: builds every dependency once, serves, and shuts down cleanly on a signal. */
export async function startServer(config: Config): Promise<{ close(): Promise<void> }> {
  tuneHeapForServing();
  const logger = pino({ level: config.logLevel, base: { service: 'yiyun' } });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pg'),
  });
  logger.info({ store: store.kind }, 'store ready');
  const secrets = await loadPlatformSecrets({
    dataDir: config.dataDir,
    ...(config.masterKey ? { masterKey: config.masterKey } : {}),
  });
  const security = await openPlatformSecurity(store, config, logger, secrets);
  const { accounts, idp } = security;
  const demo = await prepareDemo(store, accounts, config, logger);
  const demoClient = demo.kind === 'off' ? undefined : await ensureDemoClient(idp, config.dataDir);
  const registry = await ResidentRegistry.open({
    database: store.database,
    thresholds: registryThresholds(config),
  });
  // Demo data (and anything stored before the registry) is linked before the server listens.
  const linked = await registry.drain();
  if (linked.linked) logger.info({ linked: linked.linked, persons: linked.newPersons }, 'registry linked');
  const cards = await openHealthCards({
    sql: store.database.sql,
    keyEncryptionKey: secrets.healthCardKey,
    issuer: config.baseUrl,
    areaCode: HEALTH_CARD_AREA,
  });
  if (demo.kind !== 'off' && demo.accounts && (await ensureDemoHealthCard(demo.accounts, registry, cards)))
    logger.info('demo resident health card issued');
  const imaging = await openImaging({
    store,
    residentRegistry: registry,
    config,
    derivedMasterKey: secrets.imageMasterKey,
    audit: security.audit,
    logger,
    baseUrl: config.baseUrl,
  });
  await prepareDemoImages({ store, imaging, security, config, logger });
  const webDir = fileURLToPath(new URL('../../../web/dist', import.meta.url));
  const hasWeb = existsSync(join(webDir, 'index.html'));
  if (!hasWeb) logger.warn({ webDir }, 'web app not built (npm run build -w @yiyun/web): /app is not served');
  const platform = createPlatform({
    store,
    config,
    logger,
    auth: security.auth,
    registry,
    cards,
    imaging,
    ...(hasWeb ? { webDir } : {}),
  });
  const listener = createNodeListener({ app: platform.app, identity: idp });
  const server =
    config.tlsCert && config.tlsKey
      ? createHttpsServer(
          { cert: await readFile(config.tlsCert), key: await readFile(config.tlsKey) },
          listener,
        )
      : createServer(listener);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    await Promise.allSettled([imaging.close(), security.close()]);
    await store.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new ConfigError(
        `Cannot listen on ${config.host}:${config.port} (${code}): choose another --port / PORT`,
      );
    throw err;
  }
  const dicomHost = config.dicomHost ?? config.host;
  const dimse =
    config.dicomPort === 'off'
      ? undefined
      : await startDimseListener({
          service: imaging.service,
          auth: security.auth,
          aeTitle: config.dicomAeTitle,
          host: dicomHost,
          port: config.dicomPort,
          peers: config.dicomPeers,
          logger,
        }).catch(async (err: NodeJS.ErrnoException) => {
          await new Promise<void>((resolve) => server.close(() => resolve()));
          await Promise.allSettled([imaging.close(), security.close()]);
          await store.close();
          if (err.code === 'EADDRINUSE' || err.code === 'EACCES')
            throw new ConfigError(
              `Cannot listen for DICOM on ${dicomHost}:${String(config.dicomPort)} (${err.code}): set YIYUN_DICOM_PORT (or off)`,
            );
          throw err;
        });
  const maintenance = storageMaintenance({
    images: imaging.images,
    everyHours: config.imageMaintenanceHours,
    hotDays: config.imageHotDays,
    idleDays: config.imageIdleDays,
    logger,
  });
  platform.start();
  maintenance.start();
  logger.info(
    { url: config.baseUrl, fhir: `${config.baseUrl}/fhir/R4`, dicomPort: dimse?.port },
    'listening',
  );
  process.stdout.write(
    formatBanner({
      baseUrl: config.baseUrl,
      demo,
      ...(demoClient ? { client: demoClient } : {}),
      ...(dimse ? { dicom: { aeTitle: config.dicomAeTitle, host: dicomHost, port: dimse.port } } : {}),
    }),
  );
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dimse?.close();
    await maintenance.stop();
    await platform.stop();
    await imaging.close();
    await security.close();
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
