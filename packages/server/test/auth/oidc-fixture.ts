import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AccountStore,
  createIdentityProvider,
  type IdentityProvider,
  PgAccountStore,
} from '@yiyun/auth';
import { createPlatform, type Platform } from '@yiyun/server';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import { Hono } from 'hono';
import pino from 'pino';
import { bearerAuth } from '../../src/http/bearer-auth.ts';
import type { AppEnv } from '../../src/http/env.ts';
import { createNodeListener } from '../../src/http/node-listener.ts';

export const KEK = randomBytes(32);
export const PASSWORD = 'Correct-horse-42';

export interface OidcFixture extends AsyncDisposable {
  readonly origin: string;
  readonly fhirBase: string;
  readonly idp: IdentityProvider;
  readonly accounts: AccountStore;
  readonly store: Store;
  readonly platform: Platform;
  /** Milliseconds added to the verifier's clock. */
  clockOffset: number;
  /** Calls the FHIR API with a bearer token. */
  fhir(path: string, token: string | undefined, init?: RequestInit): Promise<Response>;
}

/**
 * The identity provider and the FHIR platform behind `bearerAuth`, on one Node server on
 * 127.0.0.1, on a fresh store of the kind YIYUN_TEST_STORE names, with the real account store.
 */
export async function createOidcFixture(): Promise<OidcFixture> {
  const store = await createTestStore({ registryPollMs: 0 });
  const logger = pino({ level: process.env['YIYUN_TEST_LOG'] ?? 'silent' });
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = await PgAccountStore.open({ sql: store.database.sql });
  const fixture = { clockOffset: 0 } as { clockOffset: number };
  const idp = await createIdentityProvider({
    issuer: origin,
    database: store.database,
    accounts,
    logger,
    cookieKeys: [randomBytes(32).toString('base64url')],
    keyEncryptionKey: KEK,
    now: () => Date.now() + fixture.clockOffset,
    pollMs: 200,
  });
  const platform = createPlatform({
    store,
    logger,
    config: {
      baseUrl: origin,
      dataDir: '/nonexistent-yiyun-test',
      maxBodyBytes: 8 * 1024 * 1024,
      maxUploadBytes: 8 * 1024 * 1024,
      importAllowedOrigins: [],
      defaultCount: 20,
      maxCount: 1000,
    },
  });
  const app = new Hono<AppEnv>();
  app.use('/fhir/*', bearerAuth({ verify: (token) => idp.verifyAccessToken(token) }));
  app.route('/', platform.app);
  handler = createNodeListener({ app, identity: idp });
  const fhirBase = `${origin}/fhir/R4`;
  return Object.assign(fixture, {
    origin,
    fhirBase,
    idp,
    accounts,
    store,
    platform,
    fhir(path: string, token: string | undefined, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
      if (init.body) headers.set('content-type', 'application/fhir+json');
      return fetch(`${fhirBase}/${path}`, { ...init, headers });
    },
    async [Symbol.asyncDispose]() {
      await idp.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await platform.stop();
      await store[Symbol.asyncDispose]();
    },
  });
}

/** A browser: a cookie jar over `fetch`, redirects followed by hand so tests can see each step. */
export class Browser {
  private readonly cookies = new Map<string, string>();
  private readonly headers: Record<string, string>;

  constructor(headers: Record<string, string> = {}) {
    this.headers = headers;
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers({ ...this.headers, ...(init.headers as Record<string, string>) });
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(url: string): Promise<Response> {
    return this.request(url);
  }

  post(url: string, form: Record<string, string>, origin?: string): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows redirects from `res` until one leaves `origin` or a page (non-redirect) is reached. */
  async follow(res: Response, origin: string): Promise<{ res: Response; url: string }> {
    let current = res;
    let url = '';
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
      url = new URL(current.headers.get('location') ?? '', origin).href;
      if (!url.startsWith(origin)) return { res: current, url };
      current = await this.get(url);
    }
    return { res: current, url };
  }
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function formToken(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no form token on the page');
  return match[1];
}

export function formAction(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no form on the page');
  return match[1].replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
}
