/**
 * Test support only: the part of the browser's `XMLHttpRequest` that `dicomweb-client` uses, over
 * Node's `fetch`, so the unmodified client can run in Node tests (it has no transport of its own).
 * Real HTTP still goes over a socket to the server under test. (`xhr2` from npm would do the same.)
 */
type ResponseType = '' | 'arraybuffer' | 'json' | 'text';

export class FetchXMLHttpRequest {
  readyState = 0;
  status = 0;
  response: unknown = null;
  responseType: ResponseType = '';
  withCredentials = false;
  onreadystatechange: (() => void) | null = null;
  onloadstart: (() => void) | null = null;
  onloadend: (() => void) | null = null;
  onprogress: (() => void) | null = null;
  #method = 'GET';
  #url = '';
  readonly #headers = new Headers();
  #responseHeaders: Headers | undefined;

  open(method: string, url: string): void {
    this.#method = method.toUpperCase();
    this.#url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    this.#headers.set(name, value);
  }

  getResponseHeader(name: string): string | null {
    return this.#responseHeaders?.get(name) ?? null;
  }

  getAllResponseHeaders(): string {
    const lines: string[] = [];
    this.#responseHeaders?.forEach((v, k) => {
      lines.push(`${k}: ${v}\r\n`);
    });
    return lines.join('');
  }

  send(body?: ArrayBuffer | Uint8Array | string | null): void {
    this.onloadstart?.();
    void this.#run(body ?? undefined);
  }

  async #run(body: ArrayBuffer | Uint8Array | string | undefined): Promise<void> {
    try {
      const res = await fetch(this.#url, {
        method: this.#method,
        headers: this.#headers,
        ...(body === undefined ? {} : { body: body instanceof Uint8Array ? Buffer.from(body) : body }),
      });
      this.status = res.status;
      this.#responseHeaders = res.headers;
      const bytes = await res.arrayBuffer();
      this.response = this.#decode(bytes);
    } catch {
      this.status = 0;
    }
    this.readyState = 4;
    this.onreadystatechange?.();
    this.onloadend?.();
  }

  #decode(bytes: ArrayBuffer): unknown {
    if (this.responseType === 'arraybuffer') return bytes;
    const text = new TextDecoder().decode(bytes);
    if (this.responseType !== 'json') return text;
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
}

/** Installs the shim as the global `XMLHttpRequest`; dispose to restore what was there. */
export function installXhr(): Disposable {
  const g = globalThis as { XMLHttpRequest?: unknown };
  const previous = g.XMLHttpRequest;
  g.XMLHttpRequest = FetchXMLHttpRequest;
  return {
    [Symbol.dispose]: () => {
      g.XMLHttpRequest = previous;
    },
  };
}
