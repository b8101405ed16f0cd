import { AppError, type ErrorCode } from '@yiyun/fhir';

/** Where the server is and how to authenticate to it. */
export interface ServerTarget {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`. */
  readonly base: string;
  /** Sent as `Authorization: Bearer <token>` on every request when present. */
  readonly token?: string;
}

/** Checks `--server`: an absolute http(s) URL, returned without a trailing slash. */
export function parseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid', `--server must be an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('invalid', `--server must be an http:// or https:// URL, got "${raw}"`);
  if (url.search || url.hash)
    throw new AppError('invalid', `--server must not carry a query or fragment, got "${raw}"`);
  return url.href.replace(/\/+$/, '');
}

/** The AppError code for a server's error status (4xx stay the client's fault, 5xx are internal). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
      return 'method-not-allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'too-large';
    case 415:
      return 'unsupported-media-type';
    case 422:
      return 'unprocessable';
    default:
      return status >= 500 ? 'internal' : 'invalid';
  }
}

interface OutcomeLike {
  resourceType?: unknown;
  issue?: { diagnostics?: string; details?: { text?: string }; code?: string }[];
}

/** The diagnostics of an OperationOutcome body, or the start of whatever else the server sent. */
export function diagnosticsOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as OutcomeLike;
    if (parsed?.resourceType === 'OperationOutcome' && Array.isArray(parsed.issue)) {
      const texts = parsed.issue.map((i) => i.diagnostics ?? i.details?.text ?? i.code ?? '').filter(Boolean);
      if (texts.length > 0) return texts.join('; ');
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 300);
}

/** An AppError for an unexpected response, naming the request and quoting the server's diagnostics. */
export async function responseError(what: string, response: Response): Promise<AppError> {
  const body = await response.text().catch(() => '');
  const detail = diagnosticsOf(body) || response.statusText;
  return new AppError(codeForStatus(response.status), `${what}: HTTP ${response.status}: ${detail}`);
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** `fetch` with the bearer token; a connection failure becomes AppError('invalid') naming the server. */
export async function send(target: ServerTarget, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (target.token) headers.set('authorization', `Bearer ${target.token}`);
  try {
    return await fetch(url, { ...init, headers });
  } catch (err) {
    throw new AppError('invalid', `cannot reach the server at ${target.base} (${networkReason(err)})`, {
      cause: err,
    });
  }
}
