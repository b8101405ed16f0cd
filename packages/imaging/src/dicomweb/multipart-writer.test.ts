import { describe, expect, it } from 'vitest';
import { MultipartParser } from './multipart-reader.ts';
import { multipartStream, newBoundary, type OutgoingPart } from './multipart-writer.ts';

async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('multipartStream', () => {
  it('writes parts one by one as they are pulled, parseable by the reader', async () => {
    const boundary = newBoundary();
    let produced = 0;
    async function* parts(): AsyncGenerator<OutgoingPart> {
      for (let i = 0; i < 3; i++) {
        produced++;
        yield {
          contentType: 'application/dicom; transfer-syntax=1.2.840.10008.1.2.1',
          body: new Uint8Array([i, 13, 10, 45, 45]),
          location: `u${i}`,
        };
      }
    }
    const stream = multipartStream(parts(), boundary);
    expect(produced).toBe(0); // nothing read before the client pulls
    const bytes = await collect(stream);
    expect(bytes.subarray(0, boundary.length + 4).toString()).toBe(`--${boundary}\r\n`);
    expect(bytes.subarray(-(boundary.length + 6)).toString()).toBe(`--${boundary}--\r\n`);
    const parser = new MultipartParser(boundary, { maxBytes: 1 << 20 });
    parser.push(bytes);
    const read = parser.end();
    expect(read.map((p) => [...p.body])).toEqual([0, 1, 2].map((i) => [i, 13, 10, 45, 45]));
    expect(read[2]!.headers.get('content-location')).toBe('u2');
    expect(read[0]!.headers.get('content-type')).toBe(
      'application/dicom; transfer-syntax=1.2.840.10008.1.2.1',
    );
  });

  it('errors the stream (never a clean end) when a part cannot be produced', async () => {
    const seen: unknown[] = [];
    async function* parts(): AsyncGenerator<OutgoingPart> {
      yield { contentType: 'application/dicom', body: new Uint8Array([1]) };
      throw new Error('storage went away');
    }
    await expect(collect(multipartStream(parts(), 'b', (err) => seen.push(err)))).rejects.toThrow(
      'storage went away',
    );
    expect(seen).toHaveLength(1);
  });

  it('stops producing when the client cancels', async () => {
    let finished = false;
    async function* parts(): AsyncGenerator<OutgoingPart> {
      try {
        for (;;) yield { contentType: 'application/dicom', body: new Uint8Array(10) };
      } finally {
        finished = true;
      }
    }
    const reader = multipartStream(parts(), 'b').getReader();
    await reader.read();
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
