import { AppError } from '@yiyun/fhir';

/**
 * A streaming reader of `multipart/related` bodies (RFC 2046 §5.1.1, RFC 2387) for STOW-RS
 * (PS3.18 §10.5.1.2): binary-safe, any chunking, preamble and epilogue ignored, transport padding
 * after a delimiter allowed. It keeps every part (a STOW request is all-or-nothing as far as its
 * framing goes: nothing is stored unless the whole body parsed) but holds only a delimiter's worth
 * of look-behind beyond the parts themselves.
 */

export interface MultipartPart {
  /** Header names lower case. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
}

export interface MultipartReadOptions {
  /** The whole body may not exceed this many bytes (413). */
  readonly maxBytes: number;
  /** One part's header block may not exceed this (default 16 KiB). */
  readonly maxHeaderBytes?: number;
  /** Called as each part's headers arrive, so a wrong part type fails before its body is read. */
  readonly onPartHeaders?: (headers: ReadonlyMap<string, string>, index: number) => void;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_PADDING = 256;

type State = 'preamble' | 'headers' | 'body' | 'done';

export class MultipartParser {
  readonly #delimiter: Buffer;
  readonly #options: MultipartReadOptions;
  // The CRLF before the first delimiter may be absent (RFC 2046 §5.1.1): start as if it were there.
  #pending: Buffer = CRLF;
  #state: State = 'preamble';
  #received = 0;
  #chunks: Uint8Array[] = [];
  #headers: ReadonlyMap<string, string> = new Map();
  readonly #parts: MultipartPart[] = [];

  constructor(boundary: string, options: MultipartReadOptions) {
    if (!isValidBoundary(boundary))
      throw new AppError('invalid', `multipart boundary "${boundary}" is not valid (RFC 2046 §5.1.1)`);
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.#options = options;
  }

  push(chunk: Uint8Array): void {
    this.#received += chunk.length;
    if (this.#received > this.#options.maxBytes) {
      throw new AppError('too-large', `request body exceeds the limit of ${this.#options.maxBytes} bytes`);
    }
    if (this.#state === 'done') return; // epilogue
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#pending = this.#pending.length === 0 ? bytes : Buffer.concat([this.#pending, bytes]);
    while (this.#step()) {
      // each step consumes input or waits for more
    }
  }

  /** The parts, once the body has ended; throws `invalid` when the body stopped short. */
  end(): MultipartPart[] {
    switch (this.#state) {
      case 'done':
        return this.#parts;
      case 'preamble':
        throw new AppError('invalid', 'malformed multipart body: no boundary delimiter found');
      case 'headers':
        throw new AppError(
          'invalid',
          `malformed multipart body: part ${this.#parts.length + 1} is truncated in its headers`,
        );
      case 'body':
        throw new AppError(
          'invalid',
          `malformed multipart body: part ${this.#parts.length + 1} is truncated (no closing boundary delimiter)`,
        );
    }
  }

  /** One step of the state machine; false when it needs more input. */
  #step(): boolean {
    if (this.#state === 'headers') return this.#stepHeaders();
    if (this.#state === 'done') return false;
    return this.#stepContent();
  }

  #stepContent(): boolean {
    const pending = this.#pending;
    const at = pending.indexOf(this.#delimiter);
    if (at < 0) {
      const keep = Math.min(pending.length, this.#delimiter.length - 1);
      this.#emit(pending.subarray(0, pending.length - keep));
      this.#pending = pending.subarray(pending.length - keep);
      return false;
    }
    const after = at + this.#delimiter.length;
    const kind = delimiterKind(pending, after);
    if (kind === 'more') {
      this.#emit(pending.subarray(0, at));
      this.#pending = pending.subarray(at);
      return false;
    }
    if (kind === 'content') {
      // `\r\n--boundary` followed by something else is data, not a delimiter (RFC 2046 §5.1.1).
      this.#emit(pending.subarray(0, at + 1));
      this.#pending = pending.subarray(at + 1);
      return true;
    }
    this.#emit(pending.subarray(0, at));
    if (this.#state === 'body') this.#finishPart();
    if (kind === 'close') {
      this.#state = 'done';
      this.#pending = Buffer.alloc(0);
      return false;
    }
    this.#state = 'headers';
    this.#pending = pending.subarray(kind.next);
    return true;
  }

  #stepHeaders(): boolean {
    const pending = this.#pending;
    const limit = this.#options.maxHeaderBytes ?? 16 * 1024;
    // A part with no header fields starts right after the delimiter line's CRLF (RFC 2046 §5.1.1).
    const emptyBlock = pending.length >= 2 && pending[0] === 0x0d && pending[1] === 0x0a;
    const at = emptyBlock ? -2 : pending.indexOf(HEADER_END);
    if (!emptyBlock && at < 0) {
      if (pending.length > limit) {
        throw new AppError(
          'invalid',
          `malformed multipart body: part ${this.#parts.length + 1} headers exceed ${limit} bytes`,
        );
      }
      return false;
    }
    this.#headers = emptyBlock
      ? new Map()
      : parseHeaderBlock(pending.subarray(0, at).toString('latin1'), this.#parts.length + 1);
    this.#options.onPartHeaders?.(this.#headers, this.#parts.length);
    this.#pending = pending.subarray(emptyBlock ? 2 : at + HEADER_END.length);
    this.#state = 'body';
    this.#chunks = [];
    return true;
  }

  #emit(bytes: Uint8Array): void {
    if (this.#state === 'body' && bytes.length > 0) this.#chunks.push(bytes);
  }

  #finishPart(): void {
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.#parts.push({ headers: this.#headers, body });
    this.#chunks = [];
  }
}

/** After `\r\n--boundary` at `after`: the close delimiter, a delimiter line, data, or not yet known. */
function delimiterKind(buf: Buffer, after: number): 'close' | 'content' | 'more' | { next: number } {
  if (buf.length < after + 2) return 'more';
  if (buf[after] === 0x2d && buf[after + 1] === 0x2d) return 'close';
  let p = after;
  while (p < buf.length && (buf[p] === 0x20 || buf[p] === 0x09)) {
    if (p - after > MAX_PADDING) return 'content';
    p++;
  }
  if (p + 1 >= buf.length) return 'more';
  return buf[p] === 0x0d && buf[p + 1] === 0x0a ? { next: p + 2 } : 'content';
}

function parseHeaderBlock(block: string, partNumber: number): Map<string, string> {
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of block.split('\r\n')) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`); // obsolete line folding (RFC 5322 §2.2.3)
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new AppError('invalid', `malformed multipart body: part ${partNumber} has a bad header line`);
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 2046 §5.1.1: 1–70 characters of bchars, not ending in a space. */
export function isValidBoundary(boundary: string): boolean {
  return /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary);
}

/**
 * Reads a whole `multipart/related` body from a stream. Throws `invalid` (malformed or truncated),
 * `too-large` (over `maxBytes`, as soon as it is exceeded) or the stream's own error (client gone);
 * the stream is cancelled on any failure so the rest of an oversized or broken upload is not read.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  options: MultipartReadOptions,
): Promise<MultipartPart[]> {
  const parser = new MultipartParser(boundary, options);
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  } finally {
    reader.releaseLock();
  }
  return parser.end();
}
