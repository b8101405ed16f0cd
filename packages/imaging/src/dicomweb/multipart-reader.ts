import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '@yiyun/fhir';

/**
 * A streaming reader of `multipart/related` bodies (RFC 2046 §5.1.1, RFC 2387) for STOW-RS
 * (PS3.18 §10.5.1.2): binary-safe, any chunking, preamble and epilogue ignored, transport padding
 * after a delimiter allowed. It keeps every part (a STOW request is all-or-nothing as far as its
 * framing goes: nothing is stored unless the whole body parsed). The body is copied once, into one
 * buffer (of the Content-Length when known), and the parts are views of it: no per-chunk
 * concatenation and no second copy of each instance (at 525 KB per CT slice, copies are what the
 * garbage collector pays for).
 */

export interface MultipartPart {
  /** Header names lower case. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
}

export interface MultipartReadOptions {
  /** The whole body may not exceed this many bytes (413). */
  readonly maxBytes: number;
  /** The body's size when the request says (Content-Length): the buffer is allocated once. */
  readonly expectedBytes?: number;
  /** One part's header block may not exceed this (default 16 KiB). */
  readonly maxHeaderBytes?: number;
  /** Called as each part's headers arrive, so a wrong part type fails before its body is read. */
  readonly onPartHeaders?: (headers: ReadonlyMap<string, string>, index: number) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_PADDING = 256;
const FIRST_BUFFER = 64 * 1024;
/** A declared size is trusted up to this much before the bytes arrive (the rest grows as they do). */
export const MAX_PREALLOCATED = 64 * 1024 * 1024;

type State = 'preamble' | 'headers' | 'body' | 'done';

export class MultipartParser {
  readonly #delimiter: Buffer;
  readonly #options: MultipartReadOptions;
  #buffer: Buffer = Buffer.alloc(0);
  #length = 0;
  /** Where the next delimiter search starts (everything before it is known not to start one). */
  #scan = 0;
  /** Start of the current part's header block, then of its body. */
  #start = 0;
  /** Whether the body's very start was checked for a delimiter without its leading CRLF. */
  #startChecked = false;
  #state: State = 'preamble';
  #received = 0;
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
    this.#append(chunk);
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

  /** Copies the chunk in, growing the buffer (parts already cut keep viewing the old one). */
  #append(chunk: Uint8Array): void {
    const needed = this.#length + chunk.length;
    if (needed > this.#buffer.length) {
      const expected = Math.min(this.#options.expectedBytes ?? 0, MAX_PREALLOCATED);
      const size = Math.min(
        Math.max(needed, this.#buffer.length * 2, expected, FIRST_BUFFER),
        Math.max(needed, this.#options.maxBytes),
      );
      const grown = Buffer.allocUnsafe(size);
      this.#buffer.copy(grown, 0, 0, this.#length);
      this.#buffer = grown;
    }
    this.#buffer.set(chunk, this.#length);
    this.#length = needed;
  }

  /** One step of the state machine; false when it needs more input. */
  #step(): boolean {
    if (this.#state === 'headers') return this.#stepHeaders();
    if (this.#state === 'done') return false;
    return this.#stepContent();
  }

  /**
   * The next delimiter at or after `#scan`: its offset, -2 for `--boundary` at the very start (the
   * CRLF before the first delimiter may be absent, RFC 2046 §5.1.1), undefined when there is none
   * yet, or 'more' when the start cannot be told yet.
   */
  #findDelimiter(view: Buffer): number | 'more' | undefined {
    if (!this.#startChecked) {
      const bare = this.#delimiter.subarray(2);
      const n = Math.min(view.length, bare.length);
      if (!view.subarray(0, n).equals(bare.subarray(0, n))) this.#startChecked = true;
      else if (n < bare.length) return 'more';
      else {
        this.#startChecked = true;
        return -2;
      }
    }
    const at = view.indexOf(this.#delimiter, this.#scan);
    return at < 0 ? undefined : at;
  }

  #stepContent(): boolean {
    const view = this.#buffer.subarray(0, this.#length);
    const at = this.#findDelimiter(view);
    if (at === 'more') return false;
    if (at === undefined) {
      this.#scan = Math.max(this.#scan, view.length - this.#delimiter.length + 1);
      return false;
    }
    const kind = delimiterKind(view, at + this.#delimiter.length);
    if (kind === 'more') {
      // Look at this delimiter again when more has arrived.
      if (at < 0) this.#startChecked = false;
      else this.#scan = at;
      return false;
    }
    if (kind === 'content') {
      // `\r\n--boundary` followed by something else is data, not a delimiter (RFC 2046 §5.1.1).
      this.#scan = Math.max(0, at + 1);
      return true;
    }
    if (this.#state === 'body') this.#finishPart(at);
    if (kind === 'close') {
      this.#state = 'done';
      return false;
    }
    this.#state = 'headers';
    this.#start = kind.next;
    return true;
  }

  #stepHeaders(): boolean {
    const view = this.#buffer.subarray(0, this.#length);
    const start = this.#start;
    const limit = this.#options.maxHeaderBytes ?? 16 * 1024;
    // A part with no header fields starts right after the delimiter line's CRLF (RFC 2046 §5.1.1).
    const emptyBlock = view.length >= start + 2 && view[start] === 0x0d && view[start + 1] === 0x0a;
    const at = emptyBlock ? start : view.indexOf(HEADER_END, start);
    if (!emptyBlock && at < 0) {
      if (view.length - start > limit) {
        throw new AppError(
          'invalid',
          `malformed multipart body: part ${this.#parts.length + 1} headers exceed ${limit} bytes`,
        );
      }
      return false;
    }
    this.#headers = emptyBlock
      ? new Map()
      : parseHeaderBlock(view.subarray(start, at).toString('latin1'), this.#parts.length + 1);
    this.#options.onPartHeaders?.(this.#headers, this.#parts.length);
    this.#start = emptyBlock ? start + 2 : at + HEADER_END.length;
    this.#scan = this.#start;
    this.#state = 'body';
    return true;
  }

  #finishPart(end: number): void {
    this.#parts.push({ headers: this.#headers, body: this.#buffer.subarray(this.#start, end) });
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
 * A web `ReadableStream` as the async iterable it is on Node (the global type does not say so);
 * leaving a `for await` over it early cancels the stream.
 */
export function chunksOf(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  return stream as unknown as WebReadableStream<Uint8Array>;
}

/**
 * Reads a whole `multipart/related` body from a stream of chunks (Node's request stream or a web
 * `ReadableStream`). Throws `invalid` (malformed or truncated), `too-large` (over `maxBytes`, as soon
 * as it is exceeded) or the stream's own error (client gone); leaving the loop early ends the
 * stream (`return()` destroys or cancels it), so the rest of an oversized or broken upload is not read.
 */
export async function readMultipart(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  options: MultipartReadOptions,
): Promise<MultipartPart[]> {
  const parser = new MultipartParser(boundary, options);
  for await (const chunk of body) parser.push(chunk);
  return parser.end();
}
