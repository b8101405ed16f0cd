import { AppError } from '@yiyun/fhir';
import { assertNoNulInJson } from '../http/query.ts';

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes`: first by Content-Length, then by
 * counting the bytes actually streamed (a client may lie or send chunked). Undefined when empty.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
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
  if (total === 0) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total));
  } catch {
    throw new AppError('invalid', 'The body is not valid UTF-8');
  }
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
