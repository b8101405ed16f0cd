import type { Principal } from '@yiyun/auth';
import type { Logger } from 'pino';

/** Per-request values every route can read (`c.get('logger')`). */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** A child of the app logger bound to the request id. */
    logger: Logger;
    /** Who is calling: set by `bearerAuth` from a verified access token. */
    principal: Principal;
  };
}
