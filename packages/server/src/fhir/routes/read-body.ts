import { AppError } from '@yiyun/fhir';
import { assertNoNulInJson } from '../http/query.ts';

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes`: first by Content-Length, then by
 * counting the bytes actually streamed (a client may lie or send chunked). Undefined when empty.
 *
 * With a Content-Length within the limit the body is taken whole (`arrayBuffer()`): the HTTP parser
 * delivers exactly that many bytes, and `@hono/node-server` then reads the socket directly instead of
 * building a web `ReadableStream` for it (a measurable share of a small write's cost).
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const bytes =
    declared !== null && /^\d+$/.test(declared.trim())
      ? new Uint8Array(await request.arrayBuffer())
      : await readCounted(request, maxBytes);
  if (bytes === undefined || bytes.byteLength === 0) return undefined;
  // The declared length is the parser's contract, not ours to trust blindly.
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('invalid', 'The body is not valid UTF-8');
  }
}

/** Streams the body, counting bytes, for bodies without a usable Content-Length (chunked). */
async function readCounted(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('too-large', `The request body exceeds the limit of ${maxBytes} bytes`);
}

/** JSON.parse with a FHIR-shaped error; the parser's message is kept out (it can quote the input). */
export function parseJsonBody(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('invalid', 'The body is not well-formed JSON');
  }
  assertNoNulInJson(text);
  return parsed;
}
