import type { SearchParamRegistry } from '@yiyun/fhir';
import { AppError } from '@yiyun/fhir';
import type { FhirRepository } from '@yiyun/store';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createFhirContext } from './context.ts';
import { dispatch } from './dispatch.ts';
import type { FhirRequest } from './types.ts';

const registry: SearchParamRegistry = {
  get: () => undefined,
  forType: () => [],
  resourceTypes: () => ['Resource', 'Patient', 'Observation'],
};

/** A repository that fails the test if routing reaches storage. */
const untouchable = new Proxy({} as FhirRepository, {
  get: () => () => {
    throw new Error('storage must not be reached');
  },
});

const ctx = createFhirContext({
  repo: untouchable,
  registry,
  validator: { validate: () => [], assertValid: () => [] },
  projector: { summarize: (r) => r, selectElements: (r) => r },
  config: { baseUrl: 'http://h/fhir/R4', maxBodyBytes: 100, defaultCount: 20, maxCount: 100 },
  logger: pino({ level: 'silent' }),
});

function req(method: string, path: string): FhirRequest {
  return {
    method,
    parts: path.split('/').filter((p) => p !== ''),
    query: new URLSearchParams(),
    headers: {},
  };
}

async function codeOf(r: FhirRequest): Promise<string> {
  try {
    const res = await dispatch(r, ctx);
    return res.status === 405 ? `method-not-allowed(${res.headers?.['allow']})` : 'ok';
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
}

describe('dispatch', () => {
  it('404 for unknown types, abstract types and unknown paths', async () => {
    expect(await codeOf(req('GET', 'Unicorn/1'))).toBe('not-found');
    expect(await codeOf(req('GET', 'Resource/1'))).toBe('not-found');
    expect(await codeOf(req('GET', 'Patient/1/_history/1/extra'))).toBe('not-found');
    expect(await codeOf(req('GET', 'Patient/1/Unicorn'))).toBe('not-found');
    expect(await codeOf(req('POST', 'Patient/$unknown'))).toBe('not-found');
  });

  it('405 for methods an endpoint does not take', async () => {
    expect(await codeOf(req('POST', 'Patient/1'))).toBe('method-not-allowed(GET, PUT, PATCH, DELETE, HEAD)');
    expect(await codeOf(req('DELETE', 'metadata'))).toBe('method-not-allowed(GET, HEAD)');
    expect(await codeOf(req('PUT', 'Patient/1/_history'))).toBe('method-not-allowed(GET, HEAD)');
    expect(await codeOf(req('PUT', ''))).toBe('method-not-allowed(GET, POST, HEAD)');
  });

  it('400 for ids that are not FHIR ids, before touching storage', async () => {
    expect(await codeOf(req('GET', "Patient/1';drop"))).toBe('invalid');
    expect(await codeOf(req('GET', `Patient/${'a'.repeat(65)}`))).toBe('invalid');
    expect(await codeOf(req('GET', 'Patient/1/_history/x y'))).toBe('invalid');
  });

  it('serves metadata without storage', async () => {
    const res = await dispatch(req('GET', 'metadata'), ctx);
    expect(res.status).toBe(200);
    expect(res.body?.resourceType).toBe('CapabilityStatement');
  });
});
