import {
  AppError,
  createFhirSchema,
  createProjector,
  createValidator,
  parseSearchRequest,
  toOperationOutcome,
} from '@yiyun/fhir';
import { type HealthCardService, pgPersonDirectory, type ResidentRegistry } from '@yiyun/mpi';
import type { AccessScope, Store } from '@yiyun/store';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { mountStaffRoutes } from './admin/staff-routes.ts';
import { type AppAuth, createApp } from './app.ts';
import { createBulk } from './bulk/index.ts';
import type { JobRunner } from './bulk/job-runner.ts';
import type { Config } from './config/index.ts';
import { bearerAuth } from './http/bearer-auth.ts';
import type { AppEnv } from './http/env.ts';
import { mountDicomweb } from './imaging/dicomweb-mount.ts';
import type { Imaging } from './imaging/open-imaging.ts';
import { mountStorageStatus } from './imaging/storage-status.ts';
import { auditVerifyOperation } from './operations/audit-verify.ts';
import { breakTheGlassOperation } from './operations/break-the-glass.ts';
import { breakTheGlassReviewOperation } from './operations/break-the-glass-review.ts';
import { everythingOperation } from './operations/everything.ts';
import { HEALTH_CARD_JWKS_PATH, healthCardJwks, healthCardOperations } from './operations/health-card.ts';
import { imagingShareOperation } from './operations/imaging-share.ts';
import { imagingUnshareOperation } from './operations/imaging-unshare.ts';
import { registryOperations } from './operations/registry/index.ts';
import { withResidentRegistry } from './registry/linked-repository.ts';
import { mountWebApp } from './web/web-app.ts';

export interface Platform {
  readonly app: Hono<AppEnv>;
  readonly runner: JobRunner;
  /** Starts background work (the job runner). */
  start(): void;
  stop(): Promise<void>;
}

export type PlatformConfig = Pick<
  Config,
  | 'baseUrl'
  | 'dataDir'
  | 'maxBodyBytes'
  | 'maxUploadBytes'
  | 'importAllowedOrigins'
  | 'defaultCount'
  | 'maxCount'
> &
  Partial<Pick<Config, 'corsOrigins'>>;

/**
 * Composes the HTTP platform from an opened store: the FHIR API with every operation, the bulk
 * job endpoints and the job runner. The CLI and the integration tests both build it this way.
 */
export function createPlatform(deps: {
  store: Store;
  config: PlatformConfig;
  logger: Logger;
  /** Access control and audit; required in production (`yiyun serve` always passes it). */
  auth?: AppAuth & { readonly breakGlassMinutes?: number };
  /**
   * The resident registry: links every Patient write to a regional person and serves the MPI
   * operations. Without it Patient records stay unlinked (each its own person to access control).
   */
  registry?: ResidentRegistry;
  /** Resident health cards (居民健康卡): issue, look up, revoke, signed QR payloads. */
  cards?: HealthCardService;
  /** How often the background linker drains the queue of Patient changes (ms; default 2000). */
  linkIntervalMs?: number;
  /** The cloud PACS: DICOMweb at `/dicomweb` (the DIMSE listener is started beside the platform). */
  imaging?: Pick<Imaging, 'service' | 'images'>;
  /** The built web app's directory (packages/web/dist), served at `/app/`. */
  webDir?: string;
}): Platform {
  const { store, config, logger, auth, registry } = deps;
  const binding = registry ? { registry, logger } : undefined;
  const appStore = binding
    ? {
        repository: (access?: AccessScope) => withResidentRegistry(store.repository(access), binding),
        isReady: () => store.isReady(),
      }
    : store;
  const schema = createFhirSchema();
  const validator = createValidator({ schema });
  const bulk = createBulk({
    store,
    validator,
    logger,
    publicUrl: config.baseUrl,
    dataDir: config.dataDir,
    maxUploadBytes: config.maxUploadBytes,
    importAllowedOrigins: config.importAllowedOrigins,
    requiresAccessToken: auth !== undefined,
  });
  const app = createApp({
    store: appStore,
    registry: store.registry,
    validator,
    projector: createProjector({ schema }),
    logger,
    config: {
      baseUrl: `${config.baseUrl}/fhir/R4`,
      maxBodyBytes: config.maxBodyBytes,
      defaultCount: config.defaultCount,
      maxCount: config.maxCount,
      ...(config.corsOrigins ? { corsOrigins: config.corsOrigins } : {}),
    },
    operations: [
      everythingOperation,
      ...bulk.operations,
      ...(registry ? registryOperations(registry, store.database) : []),
      ...(deps.cards
        ? healthCardOperations({ cards: deps.cards, persons: pgPersonDirectory(store.database.sql) })
        : []),
      ...(auth
        ? [breakTheGlass(store, auth), breakTheGlassReviewOperation({ grants: store.breakGlass })]
        : []),
      ...(deps.imaging ? shareOperations(store) : []),
      ...(auth?.audit ? [auditVerifyOperation(auth.audit)] : []),
    ],
    ...(auth ? { auth } : {}),
  });
  if (auth) {
    // Bulk files and job status belong to the platform operator who ran $export / $import.
    const bearer = bearerAuth({ verify: (token) => auth.verify(token) });
    app.use('/bulk/*', bearer, async (c, next) => {
      if (!auth.authorize(c.get('principal')).isPlatformOperator)
        return c.json(
          toOperationOutcome(new AppError('forbidden', 'Bulk data is for the platform operator')),
          403,
        );
      await next();
    });
  }
  app.route('/bulk', bulk.routes);
  if (deps.imaging)
    mountDicomweb(app, {
      service: deps.imaging.service,
      ...(auth ? { auth } : {}),
      baseUrl: config.baseUrl,
      maxUploadBytes: config.maxUploadBytes,
      corsOrigins: config.corsOrigins ?? [],
      logger,
    });
  if (deps.imaging) mountStorageStatus(app, { images: deps.imaging.images, ...(auth ? { auth } : {}) });
  if (auth?.accounts) mountStaffRoutes(app, { ...auth, accounts: auth.accounts });
  if (deps.webDir) mountWebApp(app, deps.webDir);
  const cards = deps.cards;
  // Public keys a clinic downloads once to verify card QR payloads offline.
  if (cards) app.get(HEALTH_CARD_JWKS_PATH, async (c) => c.json(await healthCardJwks(cards)));
  const linker = registry ? backgroundLinker(registry, logger, deps.linkIntervalMs ?? 2_000) : undefined;
  return {
    app,
    runner: bulk.runner,
    start: () => {
      bulk.runner.start();
      linker?.start();
    },
    stop: async () => {
      await linker?.stop();
      await bulk.runner.stop();
    },
  };
}

function breakTheGlass(store: Store, auth: { readonly breakGlassMinutes?: number }) {
  return breakTheGlassOperation({
    grants: store.breakGlass,
    defaultMinutes: auth.breakGlassMinutes ?? 60,
    targets: {
      // Unrestricted on purpose: the clinician cannot see the resident yet; the grant is audited.
      async patientIdsByIdentifier(system, value) {
        const query = new URLSearchParams({ identifier: `${system}|${value}`, _count: '10' });
        const found = await store.repository().search(parseSearchRequest('Patient', query, store.registry));
        return found.matches.map((p) => p.id);
      },
    },
  });
}

/** Tele-consultation shares of imaging studies (远程会诊): the custodian check reads unrestricted. */
function shareOperations(store: Store) {
  const shareDeps = { sql: store.database.sql, repository: store.repository() };
  return [imagingShareOperation(shareDeps), imagingUnshareOperation(shareDeps)];
}

/**
 * Drains the registry's queue in the background: bulk imports and writes whose immediate link
 * failed are linked within seconds, by whichever replica gets there first.
 */
function backgroundLinker(registry: ResidentRegistry, logger: Logger, intervalMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = registry
      .drain()
      .then((r) => {
        if (r.linked || r.removed)
          logger.info({ linked: r.linked, newPersons: r.newPersons, reviews: r.reviews }, 'registry linked');
      })
      .catch((err: Error) => logger.error({ err: { message: err.message } }, 'registry link failed'))
      .finally(() => {
        if (!timer) return;
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  };
  return {
    start() {
      timer = setTimeout(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      const t = timer;
      timer = undefined;
      if (t) clearTimeout(t);
      await running;
    },
  };
}
