import type { Resource } from '@medplum/fhirtypes';
import { createProjector, createValidator } from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import type { Hono } from 'hono';
import pino from 'pino';
import { createApp } from '../src/app.ts';
import type { AppEnv } from '../src/http/env.ts';

export const BASE = 'http://test.local/fhir/R4';

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body (`undefined` when empty). */
  readonly body: unknown;
}

export interface TestApp extends AsyncDisposable {
  readonly app: Hono<AppEnv>;
  readonly store: Store;
  /** `path` is relative to the FHIR base, e.g. `Patient/1`; a JSON `body` is serialised. */
  fhir(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<TestResponse>;
}

/** Validator and projector are immutable and slow to build: one pair per test file is shared. */
const tools = new Map<
  'tools',
  { validator: ReturnType<typeof createValidator>; projector: ReturnType<typeof createProjector> }
>();

function sharedTools(): {
  validator: ReturnType<typeof createValidator>;
  projector: ReturnType<typeof createProjector>;
} {
  const existing = tools.get('tools');
  if (existing) return existing;
  const made = { validator: createValidator(), projector: createProjector() };
  tools.set('tools', made);
  return made;
}

/** An app on a fresh test store (PGlite or PostgreSQL per YIYUN_TEST_STORE). */
export async function createTestApp(
  options: { maxBodyBytes?: number; baseUrl?: string } = {},
): Promise<TestApp> {
  const store = await createTestStore();
  const app = createApp({
    store,
    registry: store.registry,
    ...sharedTools(),
    logger: pino({ level: 'silent' }),
    config: {
      baseUrl: options.baseUrl ?? 'http://test.local',
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      defaultCount: 20,
      maxCount: 100,
    },
  });
  return {
    app,
    store,
    async fhir(method, path, opts = {}) {
      const body =
        opts.body === undefined
          ? undefined
          : typeof opts.body === 'string'
            ? opts.body
            : JSON.stringify(opts.body);
      const headers: Record<string, string> = {
        ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
        ...opts.headers,
      };
      const res = await app.request(`/fhir/R4${path === '' ? '' : `/${path}`}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        text,
        body: text === '' ? undefined : JSON.parse(text),
      };
    },
    [Symbol.asyncDispose]: () => store[Symbol.asyncDispose](),
  };
}

/** Narrows a test body to a FHIR resource type for property access. */
export function as<T extends Resource>(body: unknown): T {
  return body as T;
}

export const patient = (extra: Record<string, unknown> = {}): Resource =>
  ({
    resourceType: 'Patient',
    name: [{ family: 'Zhang', given: ['Wei'] }],
    gender: 'male',
    birthDate: '1980-01-02',
    ...extra,
  }) as Resource;
