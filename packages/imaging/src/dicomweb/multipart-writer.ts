import { randomUUID } from 'node:crypto';

/**
 * A streaming writer of `multipart/related` response bodies (RFC 2046 §5.1.1, RFC 2387) for WADO-RS
 * (PS3.18 §8.7.3, §10.4.3): parts are pulled one at a time, so a study is never held in memory
 * whole and a slow client slows the reads (back-pressure) instead of filling the heap.
 */

export interface OutgoingPart {
  /** The part's `Content-Type`, with any `transfer-syntax` parameter. */
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Optional `Content-Location` of the part (PS3.18 §8.7.3.1.1). */
  readonly location?: string;
}

/** A boundary that cannot occur by chance in the parts (RFC 2046 §5.1.1: ≤ 70 bchars). */
export function newBoundary(): string {
  return `yiyun-${randomUUID()}`;
}

const encoder = new TextEncoder();

function partHead(boundary: string, part: OutgoingPart, first: boolean): Uint8Array {
  const location = part.location ? `Content-Location: ${part.location}\r\n` : '';
  const lead = first ? '' : '\r\n';
  return encoder.encode(
    `${lead}--${boundary}\r\nContent-Type: ${part.contentType}\r\nContent-Length: ${part.body.length}\r\n${location}\r\n`,
  );
}

/**
 * The body as a stream. `onError` hears a failure after the response has started (the status is
 * already sent, so the stream is aborted and the client sees a truncated body, never a false end).
 */
export function multipartStream(
  parts: AsyncIterable<OutgoingPart> | Iterable<OutgoingPart>,
  boundary: string,
  onError?: (err: unknown) => void,
): ReadableStream<Uint8Array> {
  const iterator =
    Symbol.asyncIterator in parts ? parts[Symbol.asyncIterator]() : toAsync(parts[Symbol.iterator]());
  let first = true;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) {
            controller.enqueue(encoder.encode(`${first ? '' : '\r\n'}--${boundary}--\r\n`));
            controller.close();
            return;
          }
          controller.enqueue(partHead(boundary, next.value, first));
          controller.enqueue(next.value.body);
          first = false;
        } catch (err) {
          onError?.(err);
          controller.error(err);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}

/** Encodes parts into one buffer (small answers and tests). */
export function multipartBytes(parts: readonly OutgoingPart[], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  parts.forEach((part, i) => {
    chunks.push(partHead(boundary, part, i === 0), part.body);
  });
  chunks.push(encoder.encode(`${parts.length === 0 ? '' : '\r\n'}--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
