import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './env.ts';
import { requestContext } from './request-context.ts';

function app(): Hono<AppEnv> {
  const a = new Hono<AppEnv>();
  a.use('*', requestContext(pino({ level: 'silent' })));
  a.get('/x', (c) => c.text(c.get('requestId')));
  return a;
}

describe('requestContext', () => {
  it('echoes a safe incoming request id', async () => {
    const res = await app().request('/x', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(await res.text()).toBe('abc-123');
  });

  it('replaces an unsafe one with a new UUID', async () => {
    const res = await app().request('/x', { headers: { 'x-request-id': 'a b <script>' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
