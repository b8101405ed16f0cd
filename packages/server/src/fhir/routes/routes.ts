import { AppError } from '@yiyun/fhir';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import { dispatch } from '../dispatch.ts';
import { renderError } from '../http/errors.ts';
import { assertAcceptable, classifyBody, mediaType } from '../http/format.ts';
import { assertCleanQuery } from '../http/query.ts';
import type { FhirContext, FhirRequest } from '../types.ts';
import { parseJsonBody, readBodyText } from './read-body.ts';
import { renderResponse } from './render.ts';

export const FHIR_BASE_PATH = '/fhir/R4';

/**
 * The FHIR endpoint's HTTP side only: path, query, headers and body in; a `FhirResponse` rendered out.
 * `context(c)` supplies the per-request context (repository, request logger).
 */
export function fhirRoutes(context: (c: Context<AppEnv>) => FhirContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handle = async (c: Context<AppEnv>): Promise<Response> => {
    const url = new URL(c.req.url);
    const pretty = url.searchParams.get('_pretty') === 'true';
    const head = c.req.method === 'HEAD';
    try {
      const ctx = context(c);
      const req = await toFhirRequest(c, url, ctx.config.maxBodyBytes);
      return renderResponse(await dispatch(req, ctx), { pretty, head });
    } catch (err) {
      return renderResponse(renderError(err, c.get('logger')), { pretty, head });
    }
  };
  app.all(FHIR_BASE_PATH, handle);
  app.all(`${FHIR_BASE_PATH}/*`, handle);
  return app;
}

async function toFhirRequest(c: Context<AppEnv>, url: URL, maxBodyBytes: number): Promise<FhirRequest> {
  const query = url.searchParams;
  assertCleanQuery(query);
  assertAcceptable(query.get('_format'), c.req.header('accept'));
  const parts = pathParts(url.pathname);
  const method = c.req.method;
  const headers = c.req.header();
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return { method, parts, query, headers };
  const text = await readBodyText(c.req.raw, maxBodyBytes);
  if (text === undefined) return { method, parts, query, headers };
  const contentType = mediaType(c.req.header('content-type'));
  const kind = classifyBody(contentType);
  if (kind === 'form') {
    if (parts[parts.length - 1] !== '_search') {
      throw new AppError('unsupported-media-type', 'Form bodies are only accepted by _search');
    }
    for (const [k, v] of new URLSearchParams(text)) query.append(k, v);
    assertCleanQuery(query);
    return { method, parts, query, headers };
  }
  return {
    method,
    parts,
    query,
    headers,
    body: parseJsonBody(text),
    ...(contentType ? { contentType } : {}),
  };
}

function pathParts(pathname: string): string[] {
  const rest = pathname.slice(FHIR_BASE_PATH.length);
  try {
    return rest
      .split('/')
      .filter((p) => p !== '')
      .map((p) => {
        const part = decodeURIComponent(p);
        if (part.includes('\u0000')) throw new URIError('NUL');
        return part;
      });
  } catch {
    throw new AppError('invalid', 'The URL is not correctly percent-encoded');
  }
}
