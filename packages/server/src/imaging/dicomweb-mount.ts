import { AppError } from '@yiyun/fhir';
import { dicomwebRoutes, type ImagingService, parsePart10 } from '@yiyun/imaging';
import type { Context, Hono } from 'hono';
import type { Logger } from 'pino';
import type { AppAuth } from '../app.ts';
import { bearerAuth } from '../http/bearer-auth.ts';
import type { AppEnv } from '../http/env.ts';
import { imagingCaller } from './caller.ts';

export const DICOMWEB_PATH = '/dicomweb';

export interface DicomwebMountOptions {
  readonly service: ImagingService;
  readonly auth?: AppAuth;
  /** Public base URL of the server (without `/dicomweb`). */
  readonly baseUrl: string;
  readonly maxUploadBytes: number;
  readonly corsOrigins: readonly string[];
  readonly logger: Logger;
}

function clientAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/**
 * Mounts DICOMweb at `/dicomweb`: bearer tokens as on the FHIR API (CORS preflights excepted), and
 * each caller authorised by the same policy, so QIDO, WADO and STOW see exactly what FHIR search
 * would. Without `auth` (tests of the platform without access control) nobody may store.
 */
export function mountDicomweb(app: Hono<AppEnv>, options: DicomwebMountOptions): void {
  const { auth } = options;
  if (auth) {
    const bearer = bearerAuth({ verify: (token) => auth.verify(token) });
    const guard = (c: Context<AppEnv>, next: () => Promise<void>) =>
      c.req.method === 'OPTIONS' ? next() : bearer(c, next);
    app.use(DICOMWEB_PATH, guard);
    app.use(`${DICOMWEB_PATH}/*`, guard);
  }
  const routes = dicomwebRoutes({
    service: options.service,
    parse: (bytes) => parsePart10(bytes),
    baseUrl: `${options.baseUrl}${DICOMWEB_PATH}`,
    maxUploadBytes: options.maxUploadBytes,
    corsOrigins: options.corsOrigins,
    logger: options.logger,
    caller: (c) => {
      const origin = {
        ...(c.get('requestId') ? { requestId: String(c.get('requestId')) } : {}),
        ...(clientAddress(c) ? { address: clientAddress(c) } : {}),
      };
      if (!auth)
        return { scope: { kind: 'all' }, actor: 'anonymous', canStore: false, via: 'dicomweb', ...origin };
      const principal = c.get('principal');
      if (!principal) throw new AppError('unauthenticated', 'Authentication required');
      return imagingCaller(auth.authorize(principal), 'dicomweb', origin);
    },
  });
  app.route(DICOMWEB_PATH, routes);
}
