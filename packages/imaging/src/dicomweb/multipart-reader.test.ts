import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import {
  chunksOf,
  isValidBoundary,
  MultipartParser,
  type MultipartPart,
  readMultipart,
} from './multipart-reader.ts';
import { multipartBytes } from './multipart-writer.ts';

const B = 'b0und4ry';
const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: (string | Uint8Array)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? enc(p) : p)));

/** Bytes that look like delimiters but are not: CRLF, `--`, a boundary prefix, the boundary with a suffix. */
const tricky = cat(
  '\r\n',
  '--',
  `\r\n--${B.slice(0, 4)}`,
  `\r\n--${B}X`,
  new Uint8Array([0, 255, 13, 10, 45, 45]),
);

function parse(body: Uint8Array, chunk = body.length, maxBytes = 1 << 20): MultipartPart[] {
  const parser = new MultipartParser(B, { maxBytes });
  for (let i = 0; i < body.length; i += chunk) parser.push(body.subarray(i, i + chunk));
  return parser.end();
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'other';
  }
  return undefined;
}

describe('MultipartParser', () => {
  const body = cat(
    'preamble to ignore\r\n',
    `--${B}\r\nContent-Type: application/dicom\r\nX-Extra: a\r\n\r\n`,
    tricky,
    `\r\n--${B}  \t\r\nContent-Type: application/dicom\r\n\r\n`,
    'second',
    `\r\n--${B}--\r\nepilogue -- ignored\r\n--${B}--`,
  );

  it('reads parts binary-safe with preamble, transport padding and epilogue, at every chunk size', () => {
    for (const chunk of [1, 2, 3, 5, 7, 11, 64, body.length]) {
      const parts = parse(body, chunk);
      expect(parts.map((p) => Buffer.from(p.body).toString('latin1'))).toEqual([
        Buffer.from(tricky).toString('latin1'),
        'second',
      ]);
      expect(parts[0]!.headers.get('content-type')).toBe('application/dicom');
      expect(parts[0]!.headers.get('x-extra')).toBe('a');
    }
  });

  it('reads a body that starts with the delimiter (no CRLF before it) and a part without headers', () => {
    const parts = parse(cat(`--${B}\r\n\r\nno headers\r\n--${B}--`));
    expect(parts).toHaveLength(1);
    expect(parts[0]!.headers.size).toBe(0);
    expect(Buffer.from(parts[0]!.body).toString()).toBe('no headers');
  });

  it('round-trips what the writer writes, including empty parts', () => {
    const written = multipartBytes(
      [
        { contentType: 'application/dicom', body: tricky },
        { contentType: 'application/dicom', body: new Uint8Array(0) },
      ],
      B,
    );
    const parts = parse(written, 3);
    expect(parts.map((p) => p.body.length)).toEqual([tricky.length, 0]);
    expect(Buffer.compare(Buffer.from(parts[0]!.body), tricky)).toBe(0);
    expect(parts[0]!.headers.get('content-length')).toBe(String(tricky.length));
  });

  it('refuses a body with no delimiter, one cut in the headers and one cut in a part', () => {
    expect(codeOf(() => parse(enc('just some bytes')))).toBe('invalid');
    expect(codeOf(() => parse(enc(`--${B}\r\nContent-Type: appl`)))).toBe('invalid');
    expect(codeOf(() => parse(enc(`--${B}\r\nContent-Type: application/dicom\r\n\r\nhalf a part`)))).toBe(
      'invalid',
    );
    expect(codeOf(() => parse(enc(`--${B}\r\n\r\npart\r\n--${B}\r\n`)))).toBe('invalid');
    expect(() => parse(enc(`--${B}\r\n\r\nhalf`))).toThrow(/part 1 is truncated/);
  });

  it('refuses a bad header line and oversized headers', () => {
    expect(codeOf(() => parse(enc(`--${B}\r\nno colon here\r\n\r\nx\r\n--${B}--`)))).toBe('invalid');
    const parser = new MultipartParser(B, { maxBytes: 1 << 20, maxHeaderBytes: 100 });
    expect(codeOf(() => parser.push(enc(`--${B}\r\nX: ${'a'.repeat(200)}`)))).toBe('invalid');
  });

  it('stops with too-large as soon as the body exceeds the limit', () => {
    const parser = new MultipartParser(B, { maxBytes: 10 });
    parser.push(enc(`--${B}`));
    expect(codeOf(() => parser.push(enc('more than ten')))).toBe('too-large');
  });

  it('lets the caller refuse a part from its headers before its body is read', () => {
    const seen: number[] = [];
    const parser = new MultipartParser(B, {
      maxBytes: 1 << 20,
      onPartHeaders: (headers, index) => {
        seen.push(index);
        if (headers.get('content-type') !== 'application/dicom')
          throw new AppError('unsupported-media-type', 'no');
      },
    });
    const body = enc(
      `--${B}\r\nContent-Type: application/dicom\r\n\r\nok\r\n--${B}\r\nContent-Type: text/plain\r\n\r\n`,
    );
    expect(codeOf(() => parser.push(body))).toBe('unsupported-media-type');
    expect(seen).toEqual([0, 1]);
  });

  it('validates boundaries (RFC 2046 §5.1.1)', () => {
    expect(isValidBoundary('simple-boundary_1.2')).toBe(true);
    expect(isValidBoundary('a'.repeat(70))).toBe(true);
    expect(isValidBoundary('a'.repeat(71))).toBe(false);
    expect(isValidBoundary('ends with space ')).toBe(false);
    expect(isValidBoundary('')).toBe(false);
    expect(() => new MultipartParser('bad"quote', { maxBytes: 1 })).toThrow(AppError);
  });
});

describe('readMultipart', () => {
  const stream = (chunks: Uint8Array[], fail?: Error) =>
    chunksOf(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const c of chunks) controller.enqueue(c);
          if (fail) controller.error(fail);
          else controller.close();
        },
      }),
    );

  it('reads a stream of chunks', async () => {
    const parts = await readMultipart(stream([enc(`--${B}\r\n\r\nab`), enc(`c\r\n--${B}--`)]), B, {
      maxBytes: 100,
    });
    expect(Buffer.from(parts[0]!.body).toString()).toBe('abc');
  });

  it('passes the stream error on (a client that went away) and refuses a stream that just stops', async () => {
    await expect(
      readMultipart(stream([enc(`--${B}\r\n\r\nab`)], new Error('aborted')), B, { maxBytes: 100 }),
    ).rejects.toThrow('aborted');
    await expect(readMultipart(stream([enc(`--${B}\r\n\r\nab`)]), B, { maxBytes: 100 })).rejects.toThrow(
      /truncated/,
    );
  });

  it('cancels the stream when the body is too large', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(readMultipart(chunksOf(body), B, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'too-large',
    });
    expect(cancelled).toBe(true);
  });
});

describe('MultipartParser buffering', () => {
  it('cuts parts as views of one buffer of the declared size, whatever the chunking', () => {
    const first = new Uint8Array(100_000).map((_, i) => i & 0xff);
    const body = multipartBytes(
      [
        { contentType: 'application/dicom', body: first },
        { contentType: 'application/dicom', body: enc('second') },
      ],
      B,
    );
    for (const [chunk, expectedBytes] of [
      [65_536, body.length],
      [7_000, undefined],
      [body.length, body.length],
    ] as const) {
      const parser = new MultipartParser(B, {
        maxBytes: 1 << 20,
        ...(expectedBytes === undefined ? {} : { expectedBytes }),
      });
      for (let i = 0; i < body.length; i += chunk) parser.push(body.subarray(i, i + chunk));
      const [a, b] = parser.end();
      expect(Buffer.compare(Buffer.from(a!.body), Buffer.from(first))).toBe(0);
      expect(Buffer.from(b!.body).toString()).toBe('second');
      // One copy of the body: with its size declared, both parts view the same buffer.
      if (expectedBytes !== undefined) expect(a!.body.buffer).toBe(b!.body.buffer);
    }
  });

  it('finds a delimiter split across chunks right after a long body chunk', () => {
    const data = new Uint8Array(70_000).fill(0x2d); // '-' everywhere: near-delimiters
    const body = cat(`--${B}\r\n\r\n`, data, `\r\n--${B}--\r\n`);
    const cut = body.length - 8; // inside `--b0und4ry--`
    const parser = new MultipartParser(B, { maxBytes: 1 << 20 });
    parser.push(body.subarray(0, cut));
    parser.push(body.subarray(cut));
    expect(parser.end()[0]!.body.length).toBe(data.length);
  });
});
