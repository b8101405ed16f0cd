import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './env.ts';

/** What the listener needs of the identity provider (`@yiyun/auth`'s `IdentityProvider`). */
export interface IdentityRoutes {
  /** Whether a path belongs to the provider: `/oauth2/*` (incl. sign-in pages), OIDC discovery. */
  handles(pathname: string): boolean;
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** The SMART configuration document. */
  smartConfiguration(): unknown;
}

export interface NodeListenerOptions {
  readonly app: Hono<AppEnv>;
  readonly identity: IdentityRoutes;
  /** The FHIR base path, whose `.well-known/smart-configuration` is served too. Default `/fhir/R4`. */
  readonly fhirBasePath?: string;
}

/**
 * One Node request listener for both halves of the server on one port: the identity provider
 * (oidc-provider is a Koa app) gets its paths, the SMART configuration is answered here (at the root
 * and under the FHIR base, SMART App Launch §"Conformance"), and everything else goes to Hono.
 */
export function createNodeListener(
  options: NodeListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const hono = getRequestListener(options.app.fetch);
  const fhirBase = (options.fhirBasePath ?? '/fhir/R4').replace(/\/+$/, '');
  const smartPaths = new Set([
    '/.well-known/smart-configuration',
    `${fhirBase}/.well-known/smart-configuration`,
  ]);
  return (req, res) => {
    const pathname = pathOf(req.url);
    if (smartPaths.has(pathname)) return void sendSmartConfiguration(req, res, options.identity);
    if (options.identity.handles(pathname)) return void options.identity.listener(req, res);
    void hono(req, res);
  };
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}

function sendSmartConfiguration(req: IncomingMessage, res: ServerResponse, identity: IdentityRoutes): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const body = JSON.stringify(identity.smartConfiguration());
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    // Browser-based SMART apps read it cross-origin; it holds nothing secret.
    'access-control-allow-origin': '*',
    'cache-control': 'public, max-age=300',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
