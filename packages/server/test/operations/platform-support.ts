import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import pino from 'pino';
import { createPlatform, type Platform } from '../../src/platform.ts';

export const ORIGIN = 'http://test.local';

export interface PlatformFixture extends AsyncDisposable {
  readonly platform: Platform;
  readonly store: Store;
  readonly dataDir: string;
  /** A request to the app; `path` starts with `/`. JSON bodies are serialised. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Polls a bulk status URL until the job is done; returns the final response. */
  waitForJob(statusUrl: string, timeoutMs?: number): Promise<Response>;
}

/** The whole platform (FHIR API, operations, bulk jobs) on a fresh store and a temporary data dir. */
export async function createPlatformFixture(
  options: { importAllowedOrigins?: string[] } = {},
): Promise<PlatformFixture> {
  const store = await createTestStore({ registryPollMs: 0 });
  const dataDir = mkdtempSync(join(tmpdir(), 'yiyun-platform-'));
  const platform = createPlatform({
    store,
    logger: pino({ level: process.env['YIYUN_TEST_LOG'] ?? 'silent' }),
    config: {
      baseUrl: ORIGIN,
      dataDir,
      maxBodyBytes: 8 * 1024 * 1024,
      maxUploadBytes: 64 * 1024 * 1024,
      importAllowedOrigins: options.importAllowedOrigins ?? [],
      defaultCount: 20,
      maxCount: 1000,
    },
  });
  platform.start();
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    platform.app.request(path.startsWith('http') ? path.slice(ORIGIN.length) : path, {
      method,
      headers: { 'content-type': 'application/fhir+json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return {
    platform,
    store,
    dataDir,
    request,
    async json<T>(method: string, path: string, body?: unknown) {
      const res = await request(method, path, body);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async waitForJob(statusUrl: string, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await request('GET', statusUrl);
        if (res.status !== 202) return res;
        if (Date.now() > deadline) throw new Error(`job did not finish: ${statusUrl}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async [Symbol.asyncDispose]() {
      await platform.stop();
      await store[Symbol.asyncDispose]();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
