import { AppError, toOperationOutcome } from '@yiyun/fhir';
import type { ImageStore } from '@yiyun/imaging';
import type { Hono } from 'hono';
import type { AppAuth } from '../app.ts';
import { bearerAuth } from '../http/bearer-auth.ts';
import type { AppEnv } from '../http/env.ts';

export const STORAGE_STATUS_PATH = '/status/storage';

export interface StorageStatusOptions {
  readonly images: Pick<ImageStore, 'health'>;
  /** Without it (platform tests without access control) the status is open, like the rest of the API. */
  readonly auth?: AppAuth;
}

/**
 * `GET /status/storage`: the image store's health (tiers up or down, degraded mode, objects and
 * under-replicated ones, replicas, cipher) for the operator console. Platform operators and
 * institution admins only: backend names and counts are operational, not public.
 */
export function mountStorageStatus(app: Hono<AppEnv>, options: StorageStatusOptions): void {
  const { auth, images } = options;
  if (auth) {
    const bearer = bearerAuth({ verify: (token) => auth.verify(token) });
    app.use(STORAGE_STATUS_PATH, bearer, async (c, next) => {
      const authz = auth.authorize(c.get('principal'));
      if (!authz.isPlatformOperator && !authz.principal.roles.includes('institution-admin'))
        return c.json(
          toOperationOutcome(
            new AppError('forbidden', 'Storage status is for the platform operator and institution admins'),
          ),
          403,
          { 'content-type': 'application/fhir+json' },
        );
      await next();
    });
  }
  app.get(STORAGE_STATUS_PATH, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await images.health());
  });
}
