import { createFhirSchema, createProjector, createValidator } from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { createBulk } from './bulk/index.ts';
import type { JobRunner } from './bulk/job-runner.ts';
import type { Config } from './config/index.ts';
import type { AppEnv } from './http/env.ts';
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
>;

/**
 * Composes the HTTP platform from an opened store: the FHIR API with every operation, the bulk
 * job endpoints and the job runner. The CLI and the integration tests both build it this way.
 */
export function createPlatform(deps: { store: Store; config: PlatformConfig; logger: Logger }): Platform {
  const { store, config, logger } = deps;
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
    },
    operations: [everythingOperation, ...bulk.operations],
  });
  app.route('/bulk', bulk.routes);
  return {
    app,
    runner: bulk.runner,
    start: () => bulk.runner.start(),
    stop: () => bulk.runner.stop(),
  };
}
