import {
  AppError,
  createFhirSchema,
  createProjector,
  createValidator,
  parseSearchRequest,
  toOperationOutcome,
} from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { type AppAuth, createApp } from './app.ts';
import { createBulk } from './bulk/index.ts';
import type { JobRunner } from './bulk/job-runner.ts';
import type { Config } from './config/index.ts';
import { bearerAuth } from './http/bearer-auth.ts';
import type { AppEnv } from './http/env.ts';
import { breakTheGlassOperation } from './operations/break-the-glass.ts';
import { breakTheGlassReviewOperation } from './operations/break-the-glass-review.ts';
import { everythingOperation } from './operations/everything.ts';

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
}): Platform {
  const { store, config, logger, auth } = deps;
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
    store,
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
      ...(auth
        ? [breakTheGlass(store, auth), breakTheGlassReviewOperation({ grants: store.breakGlass })]
        : []),
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
  return {
    app,
    runner: bulk.runner,
    start: () => bulk.runner.start(),
    stop: () => bulk.runner.stop(),
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
