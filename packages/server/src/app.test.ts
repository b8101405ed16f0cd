import type { SearchParamRegistry } from '@yiyun/fhir';
import type { FhirRepository } from '@yiyun/store';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type AppDeps, createApp } from './app.ts';

function deps(isReady: () => Promise<boolean>): AppDeps {
  const registry: SearchParamRegistry = {
    get: () => undefined,
    forType: () => [],
    resourceTypes: () => ['Patient'],
  };
  return {
    store: { repository: () => ({}) as FhirRepository, isReady },
    registry,
    validator: { validate: () => [], assertValid: () => [] },
    projector: { summarize: (r) => r, selectElements: (r) => r },
    logger: pino({ level: 'silent' }),
    config: { baseUrl: 'http://h', maxBodyBytes: 100, defaultCount: 20, maxCount: 100 },
  };
}

describe('createApp', () => {
  it('answers liveness without touching the store', async () => {
    const app = createApp(deps(() => Promise.reject(new Error('down'))));
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness from the store, 503 when it is not ready or fails', async () => {
    expect((await createApp(deps(async () => true)).request('/readyz')).status).toBe(200);
    expect((await createApp(deps(async () => false)).request('/readyz')).status).toBe(503);
    expect((await createApp(deps(() => Promise.reject(new Error('x')))).request('/readyz')).status).toBe(503);
  });

  it('refuses XML with 415 OperationOutcome and oversize bodies with 413', async () => {
    const app = createApp(deps(async () => true));
    const xml = await app.request('/fhir/R4/Patient/1?_format=xml');
    expect(xml.status).toBe(415);
    expect(((await xml.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const big = await app.request('/fhir/R4/Patient', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', text: 'x'.repeat(200) }),
    });
    expect(big.status).toBe(413);
  });

  it('appends the FHIR base to a server URL in Location-style links', async () => {
    const app = createApp(deps(async () => true));
    const res = await app.request('/fhir/R4/metadata');
    const cs = (await res.json()) as { implementation: { url: string }; fhirVersion: string };
    expect(cs.implementation.url).toBe('http://h/fhir/R4');
    expect(cs.fhirVersion).toBe('4.0.1');
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await createApp(deps(async () => true)).request('/fhir/R4/metadata', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('renders unknown paths outside FHIR as JSON 404', async () => {
    const res = await createApp(deps(async () => true)).request('/nope');
    expect(res.status).toBe(404);
  });
});
