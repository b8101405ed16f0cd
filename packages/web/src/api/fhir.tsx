import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../auth/session.tsx';

export const FHIR_BASE = '/fhir/R4';

/** A failed call: the HTTP status and the server's own words (OperationOutcome diagnostics). */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

interface OutcomeLike {
  resourceType?: string;
  issue?: { diagnostics?: string; details?: { text?: string } }[];
}

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => undefined)) as OutcomeLike | undefined;
  const issue = body?.issue?.[0];
  return new ApiError(res.status, issue?.diagnostics ?? issue?.details?.text ?? `HTTP ${res.status}`);
}

export type Api = <T>(path: string, init?: RequestInit) => Promise<T>;

/**
 * Calls the platform as the signed-in user: `path` under the FHIR base (`Patient/1`) or absolute
 * (`/status/storage`). JSON in and out; a 4xx/5xx is an ApiError; a 401 ends the session.
 */
export function useApi(): Api {
  const session = useSession();
  return useCallback(
    async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
      const token = await session.accessToken();
      const url = path.startsWith('/') ? path : `${FHIR_BASE}/${path}`;
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      headers.set('accept', 'application/fhir+json, application/json');
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/fhir+json');
      const res = await fetch(url, { ...init, headers });
      if (res.status === 401) session.signOut();
      if (!res.ok) throw await failure(res);
      return (await res.json()) as T;
    },
    [session],
  );
}

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'ready'; readonly value: T };

/** Runs `load` when its dependencies change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` depends on
  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    load().then(
      (value) => !cancelled && setState({ status: 'ready', value }),
      (error: unknown) =>
        !cancelled &&
        setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      cancelled = true;
    };
  }, [...deps, round]);
  return [state, useCallback(() => setRound((r) => r + 1), [])];
}
