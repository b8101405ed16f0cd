/** `fetch` of a path on the benchmarked server, with its bearer token on every request. */
export type BenchFetch = (path: string, init?: RequestInit) => Promise<Response>;

/** Access tokens live 15 minutes; benchmarks run longer, so a fresh one is fetched every 10. */
export function benchClient(url: string, getToken: () => Promise<string>): BenchFetch {
  let token: { value: Promise<string>; at: number } | undefined;
  const current = () => {
    if (!token || Date.now() - token.at > 10 * 60_000) token = { value: getToken(), at: Date.now() };
    return token.value;
  };
  return async (path, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await current()}`);
    const target = path.startsWith('http') ? path : `${url}${path}`;
    return fetch(target, { ...init, headers });
  };
}

/** A client-credentials token (`client_secret_basic`). */
export async function clientToken(url: string, clientId: string, secret: string): Promise<string> {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
