import { useMemo, useSyncExternalStore } from 'react';

/** A route parsed from the hash: `#/viewer?study=1.2.3` → path `/viewer`, params `study=1.2.3`. */
export interface HashRoute {
  readonly path: string;
  readonly params: URLSearchParams;
}

/**
 * Routing lives in the hash so that the static build works under any prefix (the server mounts it at
 * /app/) without a server-side fallback route. Issue #7 may swap this for a router library.
 */
export function parseHash(hash: string): HashRoute {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  return {
    path: path.startsWith('/') ? path : `/${path}`,
    params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
  };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(): HashRoute {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return useMemo(() => parseHash(hash), [hash]);
}

/** The href of an in-app route, e.g. `routeHref('/viewer', { study })`. */
export function routeHref(path: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#${path}${query ? `?${query}` : ''}`;
}
