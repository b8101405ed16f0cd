import type { AccountStore, AuditLog, Authorization, Principal } from '@yiyun/auth';
import type { SearchParamRegistry } from '@yiyun/fhir';
import type { AccessScope, FhirRepository } from '@yiyun/store';
import { type Context, Hono } from 'hono';
import type { Logger } from 'pino';
import { accessInterceptor } from './access/interceptor.ts';
import { createFhirContext } from './fhir/context.ts';
import { errorLogFields } from './fhir/http/errors.ts';
import type { OperationSpec } from './fhir/operations/registry.ts';
import { FHIR_BASE_PATH, fhirRoutes } from './fhir/routes/routes.ts';
import type { FhirConfig, FhirContext, ResourceProjector, ResourceValidator } from './fhir/types.ts';
import { bearerAuth } from './http/bearer-auth.ts';
import type { AppEnv } from './http/env.ts';
import { requestContext } from './http/request-context.ts';
import { corsAllowList, securityHeaders } from './http/security-headers.ts';

/** The part of `@yiyun/store`'s `Store` the HTTP app uses. */
export interface AppStore {
  repository(access?: AccessScope): FhirRepository;
  isReady(): Promise<boolean>;
}

/**
 * Access control for the FHIR endpoint: bearer tokens verified, each caller's authorization bound
 * into their repository, every interaction checked and audited. Absent only in tests of the FHIR
 * layer itself; `yiyun serve` always passes it.
 */
export interface AppAuth {
  verify(token: string): Promise<Principal>;
  authorize(principal: Principal): Authorization;
  readonly audit?: AuditLog;
  /** The account directory, for the operator console's staff management. */
  readonly accounts?: AccountStore;
}

/** Paths under the FHIR base that need no token (discovery). */
const PUBLIC_FHIR_PATHS = new Set([
  `${FHIR_BASE_PATH}/metadata`,
  `${FHIR_BASE_PATH}/.well-known/smart-configuration`,
]);

function clientAddress(c: Context<AppEnv>): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

export interface AppConfig extends Omit<FhirConfig, 'baseUrl'> {
  /** The public URL of the server or of its FHIR base; `/fhir/R4` is appended when missing. */
  readonly baseUrl: string;
  /** Browser origins allowed to call the API (CORS). */
  readonly corsOrigins?: readonly string[];
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
  readonly auth?: AppAuth;
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
  app.use(
    '*',
    securityHeaders({
      corsOrigins: deps.config.corsOrigins ?? [],
      https: deps.config.baseUrl.startsWith('https:'),
    }),
  );
  if (deps.config.corsOrigins?.length) {
    const cors = corsAllowList(deps.config.corsOrigins);
    // DICOMweb answers its own preflights (Accept with a multipart type, Warning exposed: PS3.18 §8.2).
    app.use('*', (c, next) => (c.req.path.startsWith('/dicomweb') ? next() : cors(c, next)));
  }
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ready = await deps.store.isReady().catch(() => false);
    return c.json({ status: ready ? 'ready' : 'unavailable' }, ready ? 200 : 503);
  });
  const auth = deps.auth;
  if (auth) {
    const bearer = bearerAuth({ verify: (token) => auth.verify(token) });
    app.use(`${FHIR_BASE_PATH}/*`, (c, next) =>
      PUBLIC_FHIR_PATHS.has(c.req.path) ? next() : bearer(c, next),
    );
  }
  const perRequest = (c: Context<AppEnv>): FhirContext => {
    const logger = c.get('logger');
    const principal = auth ? c.get('principal') : undefined;
    if (!auth || !principal) return { ...base, logger };
    const authorization = auth.authorize(principal);
    const origin = {
      requestId: c.get('requestId'),
      address: clientAddress(c),
      userAgent: c.req.header('user-agent'),
      started: new Date(),
    };
    return {
      ...base,
      logger,
      repo: deps.store.repository(authorization.scope),
      authorization,
      interceptor: accessInterceptor({ authorization, origin, ...(auth.audit ? { audit: auth.audit } : {}) }),
      ...(auth.audit
        ? {
            auditEvents: auth.audit,
            directory: deps.store.repository({ kind: 'restricted', nonPatientData: true }),
          }
        : {}),
    };
  };
  app.route('/', fhirRoutes(perRequest));
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
