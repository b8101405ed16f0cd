/**
 * `YIYUN_TLS_CERT` / `YIYUN_TLS_KEY`: the server speaks HTTPS with that certificate and sends HSTS
 * (issue #4 scope 7). The certificate is a fresh self-signed one from Debian's `openssl`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort, stopProcess } from './server-process.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
  } catch (err) {
    throw new Error(`openssl is needed for this test: apt-get install -y openssl (${String(err)})`);
  }
  return { cert, key };
}

function get(
  url: string,
  ca: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS', () => {
  it('serves HTTPS with the configured certificate, an https issuer and HSTS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yiyun-tls-'));
    let child: ChildProcess | undefined;
    try {
      const { cert, key } = selfSigned(dir);
      const ca = await readFile(cert);
      const port = await freePort();
      child = spawn(process.execPath, [MAIN, 'serve', '--port', String(port), '--data', dir], {
        env: {
          ...process.env,
          YIYUN_LOG_LEVEL: 'warn',
          YIYUN_DICOM_PORT: '0',
          YIYUN_DEMO_RESIDENTS: '0',
          YIYUN_TLS_CERT: cert,
          YIYUN_TLS_KEY: key,
        },
        stdio: 'ignore',
      });
      const base = `https://127.0.0.1:${port}`;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ready = await get(`${base}/readyz`, ca).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ready) break;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error('TLS server did not start');
        await new Promise((r) => setTimeout(r, 250));
      }
      const metadata = await get(`${base}/fhir/R4/metadata`, ca);
      expect(metadata.status).toBe(200);
      expect(String(metadata.headers['strict-transport-security'])).toContain('max-age=31536000');
      expect(metadata.headers['x-content-type-options']).toBe('nosniff');
      const discovery = JSON.parse((await get(`${base}/.well-known/openid-configuration`, ca)).body) as {
        issuer: string;
        token_endpoint: string;
      };
      expect(discovery.issuer).toBe(base);
      expect(discovery.token_endpoint).toBe(`${base}/oauth2/token`);
      await expect(get(`${base}/healthz`, Buffer.from(''))).rejects.toThrow();
    } finally {
      if (child) await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
