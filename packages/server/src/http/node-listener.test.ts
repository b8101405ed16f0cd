import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './env.ts';
import { createNodeListener, type IdentityRoutes } from './node-listener.ts';

/** A fake response collecting what the listener writes (no socket: this is a unit test). */
function fakeResponse() {
  const out = { status: 0, headers: {} as Record<string, unknown>, body: '' };
  const res = {
    writeHead(status: number, headers: Record<string, unknown> = {}) {
      out.status = status;
      out.headers = headers;
      return res;
    },
    end(chunk?: string) {
      out.body = chunk ?? '';
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

describe('createNodeListener', () => {
  const seen: string[] = [];
  const identity: IdentityRoutes = {
    handles: (path) => path.startsWith('/oauth2/') || path === '/.well-known/openid-configuration',
    listener: (req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(204).end();
    },
    smartConfiguration: () => ({ token_endpoint: 'http://x/oauth2/token' }),
  };
  const listener = createNodeListener({ app: new Hono<AppEnv>(), identity });

  it('sends OAuth paths and OIDC discovery to the provider', () => {
    for (const url of [
      '/oauth2/token',
      '/oauth2/interaction/abc?lang=en',
      '/.well-known/openid-configuration',
    ]) {
      const { res, out } = fakeResponse();
      listener({ url, method: 'GET', headers: {} } as IncomingMessage, res);
      expect(out.status, url).toBe(204);
    }
    expect(seen).toEqual([
      '/oauth2/token',
      '/oauth2/interaction/abc?lang=en',
      '/.well-known/openid-configuration',
    ]);
  });

  it('answers the SMART configuration at the root and under the FHIR base, readable cross-origin', () => {
    for (const url of ['/.well-known/smart-configuration', '/fhir/R4/.well-known/smart-configuration?x=1']) {
      const { res, out } = fakeResponse();
      listener({ url, method: 'GET', headers: {} } as IncomingMessage, res);
      expect(out.status).toBe(200);
      expect(out.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(out.body)).toEqual({ token_endpoint: 'http://x/oauth2/token' });
    }
    const { res, out } = fakeResponse();
    listener(
      { url: '/.well-known/smart-configuration', method: 'POST', headers: {} } as IncomingMessage,
      res,
    );
    expect(out.status).toBe(405);
  });
});
