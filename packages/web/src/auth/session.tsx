import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { errorText } from '../api/error-text.tsx';
import {
  beginSignIn,
  type Claims,
  claimsOf,
  completeSignIn,
  discover,
  type Endpoints,
  endSession,
  loadTokens,
  refreshTokens,
  saveTokens,
  type Tokens,
} from './oidc.tsx';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly error?: string }
  | { readonly status: 'signed-in'; readonly claims: Claims };

export interface Session {
  readonly state: SessionState;
  signIn(): void;
  signOut(): void;
  /** A valid access token (refreshed first when it is about to expire); signs out when it cannot be. */
  accessToken(): Promise<string>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const endpoints = useRef<Promise<Endpoints> | undefined>(undefined);
  const tokens = useRef<Tokens | undefined>(undefined);
  const refreshing = useRef<Promise<Tokens> | undefined>(undefined);
  const getEndpoints = useCallback(() => {
    endpoints.current ??= discover(window.location.origin);
    return endpoints.current;
  }, []);

  const adopt = useCallback((next: Tokens | undefined, error?: string) => {
    tokens.current = next;
    saveTokens(window.sessionStorage, next);
    setState(
      next
        ? { status: 'signed-in', claims: claimsOf(next) }
        : { status: 'signed-out', ...(error ? { error } : {}) },
    );
  }, []);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const returned = await completeSignIn(
          await getEndpoints(),
          window.location,
          window.history,
          window.sessionStorage,
        );
        if (cancelled) return;
        adopt(returned?.tokens ?? loadTokens(window.sessionStorage));
      } catch (err) {
        if (!cancelled) adopt(undefined, errorText(err));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [adopt, getEndpoints]);

  const refresh = useCallback(async (): Promise<Tokens> => {
    const current = tokens.current;
    if (!current) throw new Error('signed out');
    refreshing.current ??= refreshTokens(await getEndpoints(), current)
      .then((fresh) => {
        adopt(fresh);
        return fresh;
      })
      .catch((err: unknown) => {
        adopt(undefined, errorText(err));
        throw err;
      })
      .finally(() => {
        refreshing.current = undefined;
      });
    return refreshing.current;
  }, [adopt, getEndpoints]);

  // Keeps the session alive while the tab is open (the viewer reads the token from storage).
  useEffect(() => {
    if (state.status !== 'signed-in' || !tokens.current?.refreshToken) return;
    const wait = Math.max(5_000, tokens.current.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    const timer = window.setTimeout(() => void refresh().catch(() => {}), wait);
    return () => window.clearTimeout(timer);
  }, [state, refresh]);

  const session = useMemo<Session>(
    () => ({
      state,
      signIn: () => void getEndpoints().then((e) => beginSignIn(e, window.location, window.sessionStorage)),
      signOut: () => {
        const current = tokens.current;
        adopt(undefined);
        void getEndpoints().then((e) => endSession(e, window.location, current));
      },
      async accessToken() {
        const current = tokens.current;
        if (!current) throw new Error('signed out');
        if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS / 2) return current.accessToken;
        return (await refresh()).accessToken;
      },
    }),
    [state, adopt, getEndpoints, refresh],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in person's claims (only under a signed-in page). */
export function useClaims(): Claims {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('not signed in');
  return state.claims;
}
