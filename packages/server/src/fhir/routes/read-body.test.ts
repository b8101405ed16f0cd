import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parseJsonBody, readBodyText } from './read-body.ts';

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof AppError ? err.code : 'other';
  }
}

describe('readBodyText', () => {
  it('reads a body under the limit', async () => {
    const req = new Request('http://h/', { method: 'POST', body: '{"a":1}' });
    expect(await readBodyText(req, 100)).toBe('{"a":1}');
  });

  it('refuses by Content-Length before reading', async () => {
    const req = new Request('http://h/', {
      method: 'POST',
      body: 'x'.repeat(50),
      headers: { 'content-length': '50' },
    });
    expect(await codeOf(readBodyText(req, 10))).toBe('too-large');
  });

  it('refuses a streamed body without Content-Length once it passes the limit', async () => {
    const req = new Request('http://h/', {
      method: 'POST',
      body: streamOf(['x'.repeat(8), 'y'.repeat(8)]),
      duplex: 'half',
    } as RequestInit);
    expect(await codeOf(readBodyText(req, 10))).toBe('too-large');
  });

  it('reads a body whose Content-Length is declared and within the limit', async () => {
    const body = '{"name":"张三"}';
    const req = new Request('http://h/', {
      method: 'POST',
      body,
      headers: { 'content-length': String(Buffer.byteLength(body)) },
    });
    expect(await readBodyText(req, 100)).toBe(body);
  });

  it('refuses a body longer than the limit even when Content-Length understates it', async () => {
    const req = new Request('http://h/', {
      method: 'POST',
      body: 'x'.repeat(50),
      headers: { 'content-length': '5' },
    });
    expect(await codeOf(readBodyText(req, 10))).toBe('too-large');
  });

  it('refuses invalid UTF-8 on the Content-Length path', async () => {
    const req = new Request('http://h/', {
      method: 'POST',
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
      headers: { 'content-length': '3' },
    });
    expect(await codeOf(readBodyText(req, 10))).toBe('invalid');
  });

  it('returns undefined for an empty body', async () => {
    expect(await readBodyText(new Request('http://h/', { method: 'POST', body: '' }), 10)).toBeUndefined();
  });
});

describe('parseJsonBody', () => {
  it('turns malformed JSON into invalid', () => {
    expect(() => parseJsonBody('{"resourceType":')).toThrow(AppError);
  });
});
