import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './env.ts';
import { corsAllowList, securityHeaders } from './security-headers.ts';

function app(https: boolean) {
  const a = new Hono<AppEnv>();
  a.use('*', securityHeaders({ corsOrigins: [], https }));
  a.use('*', corsAllowList(['https://viewer.example.cn']));
  a.get('/x', (c) => c.json({ ok: true }));
  a.get('/cached', (c) => c.json({}, 200, { 'cache-control': 'max-age=60' }));
  return a;
}

describe('security headers', () => {
  it('forbid sniffing, framing, referrers and caching; HSTS only over HTTPS', async () => {
    const res = await app(true).request('/x');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
    expect((await app(false).request('/x')).headers.get('strict-transport-security')).toBeNull();
    expect((await app(false).request('/cached')).headers.get('cache-control')).toBe('max-age=60');
  });

  it('answer CORS for allow-listed origins only', async () => {
    const ok = await app(false).request('/x', { headers: { origin: 'https://viewer.example.cn' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://viewer.example.cn');
    const other = await app(false).request('/x', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app(false).request('/x', {
      method: 'OPTIONS',
      headers: { origin: 'https://viewer.example.cn', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });
});
