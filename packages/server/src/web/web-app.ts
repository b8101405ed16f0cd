import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { AppEnv } from '../http/env.ts';

export const WEB_APP_PATH = '/app';

/**
 * Serves the built web app (packages/web/dist) at `/app/` and sends `/` there. Hashed assets are
 * cached for a year; `index.html` never (a new build must reach browsers at once). Routing is in
 * the URL hash, so no server-side fallback is needed.
 */
export function mountWebApp(app: Hono<AppEnv>, distDir: string): void {
  app.get('/', (c) => c.redirect(`${WEB_APP_PATH}/`, 302));
  app.get(WEB_APP_PATH, (c) => c.redirect(`${WEB_APP_PATH}/`, 301));
  // The viewer chunk is ~4 MB raw and ~1.2 MB gzipped.
  app.use(`${WEB_APP_PATH}/*`, compress());
  app.use(
    `${WEB_APP_PATH}/*`,
    serveStatic({
      root: distDir,
      rewriteRequestPath: (path) => path.slice(WEB_APP_PATH.length) || '/',
      onFound: (path, c) => {
        c.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
}
