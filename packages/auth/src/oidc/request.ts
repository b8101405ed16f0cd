import type { IncomingMessage } from 'node:http';

const LIMIT = 16 * 1024;

/** Reads a small `application/x-www-form-urlencoded` body (the sign-in and consent forms). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) return new URLSearchParams();
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
