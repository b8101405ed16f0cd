import type { SearchParamRegistry } from '@yiyun/fhir';
import type { FhirRepository } from '@yiyun/store';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { createFhirContext } from './fhir/context.ts';
import { errorLogFields } from './fhir/http/errors.ts';
import type { OperationSpec } from './fhir/operations/registry.ts';
import { FHIR_BASE_PATH, fhirRoutes } from './fhir/routes/routes.ts';
import type { FhirConfig, ResourceProjector, ResourceValidator } from './fhir/types.ts';
import type { AppEnv } from './http/env.ts';
import { requestContext } from './http/request-context.ts';

/** The part of `@yiyun/store`'s `Store` the HTTP app uses. */
export interface AppStore {
  repository(): FhirRepository;
  isReady(): Promise<boolean>;
}

export interface AppConfig extends Omit<FhirConfig, 'baseUrl'> {
  /** The public URL of the server or of its FHIR base; `/fhir/R4` is appended when missing. */
  readonly baseUrl: string;
}

export interface AppDeps {
  readonly store: AppStore;
  readonly registry: SearchParamRegistry;
  readonly validator: ResourceValidator;
  readonly projector: ResourceProjector;
  readonly logger: Logger;
  readonly config: AppConfig;
  /** Extra FHIR operations (`$everything`, `$export`, `$import`, `$reindex` …), one file each. */
  readonly operations?: readonly OperationSpec[];
}

/** The HTTP app: `/healthz`, `/readyz` and the FHIR R4 endpoint at `/fhir/R4`. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const base = createFhirContext({
    repo: deps.store.repository(),
    registry: deps.registry,
    validator: deps.validator,
    projector: deps.projector,
    config: { ...deps.config, baseUrl: fhirBaseUrl(deps.config.baseUrl) },
    logger: deps.logger,
    ...(deps.operations ? { operations: deps.operations } : {}),
  });
  app.use('*', requestContext(deps.logger));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ready = await deps.store.isReady().catch(() => false);
    return c.json({ status: ready ? 'ready' : 'unavailable' }, ready ? 200 : 503);
  });
  app.route(
    '/',
    fhirRoutes((c) => ({ ...base, logger: c.get('logger') })),
  );
  app.notFound((c) => c.json({ error: 'not-found' }, 404));
  app.onError((err, c) => {
    c.get('logger').error({ err: errorLogFields(err) }, 'unhandled error');
    return c.json({ error: 'internal' }, 500);
  });
  return app;
}

function fhirBaseUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith(FHIR_BASE_PATH) ? trimmed : `${trimmed}${FHIR_BASE_PATH}`;
}
