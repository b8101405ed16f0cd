import type { Bundle, Patient } from '@medplum/fhirtypes';
import { createProjector, createValidator } from '@yiyun/fhir';
import { openStore, type Store } from '@yiyun/store';
import { createTestDatabase, createTestStore, testStoreKind } from '@yiyun/store/testing';
import type { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import type { AppEnv } from '../src/http/env.ts';
import { as, patient } from './support.ts';

/**
 * Two server replicas on one database. On PostgreSQL each replica has its own store and connection
 * pool (as two processes would); PGlite is one embedded database, so there both share one store.
 */
async function twoReplicas(): Promise<{ apps: [Hono<AppEnv>, Hono<AppEnv>] } & AsyncDisposable> {
  const stores: Store[] = [];
  const disposers: (() => PromiseLike<void>)[] = [];
  if (testStoreKind() === 'postgres') {
    const db = await createTestDatabase();
    const a = await openStore({ databaseUrl: db.url, maxConnections: 4 });
    const b = await openStore({ databaseUrl: db.url, maxConnections: 4 });
    stores.push(a, b);
    disposers.push(
      () => a.close(),
      () => b.close(),
      () => db[Symbol.asyncDispose](),
    );
  } else {
    const s = await createTestStore();
    stores.push(s, s);
    disposers.push(() => s[Symbol.asyncDispose]());
  }
  const validator = createValidator();
  const projector = createProjector();
  const make = (store: Store) =>
    createApp({
      store,
      registry: store.registry,
      validator,
      projector,
      logger: pino({ level: 'silent' }),
      config: { baseUrl: 'http://test.local', maxBodyBytes: 1 << 20, defaultCount: 20, maxCount: 100 },
    });
  const [a, b] = stores as [Store, Store];
  return {
    apps: [make(a), make(b)],
    async [Symbol.asyncDispose]() {
      for (const d of disposers) await d();
    },
  };
}

async function call(
  app: Hono<AppEnv>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await app.request(`/fhir/R4/${path}`, {
    method,
    headers: { 'content-type': 'application/fhir+json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('two replicas on one database', () => {
  it('conditional create racing on both replicas creates exactly one resource', async () => {
    await using r = await twoReplicas();
    const body = patient({ identifier: [{ system: 'urn:id', value: 'race' }] });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(r.apps[i % 2] as Hono<AppEnv>, 'POST', 'Patient', body, {
          'if-none-exist': 'identifier=urn:id|race',
        }),
      ),
    );
    expect(results.filter((x) => x.status === 201)).toHaveLength(1);
    expect(results.filter((x) => x.status === 200)).toHaveLength(7);
    const search = await call(r.apps[0], 'GET', 'Patient?identifier=urn:id|race&_total=accurate');
    expect(as<Bundle>(search.body).total).toBe(1);
  });

  it('If-Match updates from both replicas: one wins, the other gets 412; patches lose nothing', async () => {
    await using r = await twoReplicas();
    const p = as<Patient>((await call(r.apps[0], 'POST', 'Patient', patient())).body);
    const [x, y] = await Promise.all(
      r.apps.map((app, i) =>
        call(app, 'PUT', `Patient/${p.id}`, { ...p, birthDate: `200${i}-01-01` }, { 'if-match': 'W/"1"' }),
      ),
    );
    expect([x?.status, y?.status].sort()).toEqual([200, 412]);
    const patches = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(
          r.apps[i % 2] as Hono<AppEnv>,
          'PATCH',
          `Patient/${p.id}`,
          [{ op: 'add', path: '/name/-', value: { family: `n${i}` } }],
          {
            'content-type': 'application/json-patch+json',
          },
        ),
      ),
    );
    // Patches of one resource queue on a database lock: all succeed, none is lost.
    expect(patches.map((q) => q.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const final = as<Patient>((await call(r.apps[1], 'GET', `Patient/${p.id}`)).body);
    expect(final.name).toHaveLength(7);
  });
});
