import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { MedplumClient } from '@medplum/core';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { describe, expect, it } from 'vitest';
import { as, createTestApp, patient, type TestApp } from './support.ts';

/** The app on a real socket on 127.0.0.1, with its base URL set to that port. */
async function listen(): Promise<{ t: TestApp; url: string } & AsyncDisposable> {
  let app: TestApp | undefined;
  const server = serve({
    fetch: (req) => (app ? app.app.fetch(req) : new Response(null, { status: 503 })),
    port: 0,
    hostname: '127.0.0.1',
  });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = await createTestApp({ baseUrl: url });
  app = t;
  return {
    t,
    url,
    async [Symbol.asyncDispose]() {
      server.close();
      await t[Symbol.asyncDispose]();
    },
  };
}

describe('real FHIR clients drive the server over HTTP', () => {
  it('fhir-kit-client: create, read, update, search, paging, history, transaction, delete', async () => {
    await using s = await listen();
    const client = new Client({ baseUrl: `${s.url}/fhir/R4` });
    const created = as<Patient>(await client.create({ resourceType: 'Patient', body: patient() as never }));
    expect(created.id).toBeDefined();
    const read = as<Patient>(await client.read({ resourceType: 'Patient', id: created.id ?? '' }));
    expect(read.meta?.versionId).toBe('1');
    await client.update({
      resourceType: 'Patient',
      id: created.id ?? '',
      body: { ...read, gender: 'female' },
    });
    for (let i = 0; i < 3; i++) await client.create({ resourceType: 'Patient', body: patient() as never });
    const page1 = as<Bundle>(
      await client.search({ resourceType: 'Patient', searchParams: { _count: '2', family: 'Zhang' } }),
    );
    expect(page1.entry).toHaveLength(2);
    const page2 = as<Bundle>(await client.nextPage({ bundle: page1 as never }));
    expect(page2.entry).toHaveLength(2);
    const history = as<Bundle>(await client.history({ resourceType: 'Patient', id: created.id ?? '' }));
    expect(history.entry).toHaveLength(2);
    const txResult = as<Bundle>(
      await client.transaction({
        body: {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            { fullUrl: 'urn:uuid:a', resource: patient(), request: { method: 'POST', url: 'Patient' } },
            {
              resource: {
                resourceType: 'Observation',
                status: 'final',
                code: { text: 'x' },
                subject: { reference: 'urn:uuid:a' },
              },
              request: { method: 'POST', url: 'Observation' },
            },
          ],
        } as never,
      }),
    );
    expect(as<Observation>(txResult.entry?.[1]?.resource).subject?.reference).toMatch(/^Patient\//);
    await client.delete({ resourceType: 'Patient', id: created.id ?? '' });
    await expect(client.read({ resourceType: 'Patient', id: created.id ?? '' })).rejects.toBeDefined();
  });

  it('MedplumClient: create, search, patch, batch, history', async () => {
    await using s = await listen();
    const medplum = new MedplumClient({ baseUrl: `${s.url}/`, fhirUrlPath: 'fhir/R4', fetch });
    const p = await medplum.createResource<Patient>(patient() as Patient);
    const found = await medplum.searchResources('Patient', { _id: p.id ?? '' });
    expect(found.map((r) => r.id)).toEqual([p.id]);
    const patched = await medplum.patchResource('Patient', p.id ?? '', [
      { op: 'add', path: '/active', value: true },
    ]);
    expect(patched.active).toBe(true);
    const batch = await medplum.executeBatch({
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: `Patient/${p.id}` } },
        { request: { method: 'GET', url: 'Patient/missing' } },
      ],
    });
    expect(batch.entry?.map((e) => e.response?.status.slice(0, 3))).toEqual(['200', '404']);
    const history = await medplum.readHistory('Patient', p.id ?? '');
    expect(history.entry).toHaveLength(2);
  });
});
