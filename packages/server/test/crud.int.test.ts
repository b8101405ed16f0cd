import type { Bundle, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { as, createTestApp, patient } from './support.ts';

describe('FHIR REST: create, read, vread, update, delete', () => {
  it('creates with Location, ETag, Last-Modified and reads it back', async () => {
    await using t = await createTestApp();
    const created = await t.fhir('POST', 'Patient', { body: patient({ id: 'ignored' }) });
    expect(created.status).toBe(201);
    const p = as<Patient>(created.body);
    expect(p.id).not.toBe('ignored');
    expect(created.headers.get('location')).toBe(`http://test.local/fhir/R4/Patient/${p.id}/_history/1`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.headers.get('last-modified')).toMatch(/GMT$/);
    expect(created.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(created.headers.get('x-request-id')).toBeTruthy();
    const read = await t.fhir('GET', `Patient/${p.id}`);
    expect(read.status).toBe(200);
    expect(as<Patient>(read.body).name?.[0]?.family).toBe('Zhang');
  });

  it('updates with If-Match, refuses a stale If-Match, and keeps old versions', async () => {
    await using t = await createTestApp();
    const p = as<Patient>((await t.fhir('POST', 'Patient', { body: patient() })).body);
    const v2 = await t.fhir('PUT', `Patient/${p.id}`, {
      body: { ...p, gender: 'female' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(v2.status).toBe(200);
    expect(v2.headers.get('etag')).toBe('W/"2"');
    const stale = await t.fhir('PUT', `Patient/${p.id}`, {
      body: { ...p, gender: 'other' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(stale.status).toBe(412);
    expect(as<OperationOutcome>(stale.body).resourceType).toBe('OperationOutcome');
    const v1 = await t.fhir('GET', `Patient/${p.id}/_history/1`);
    expect(as<Patient>(v1.body).gender).toBe('male');
    expect((await t.fhir('GET', `Patient/${p.id}`)).headers.get('etag')).toBe('W/"2"');
  });

  it('update-as-create gives 201 at the client id', async () => {
    await using t = await createTestApp();
    const res = await t.fhir('PUT', 'Patient/client-id-1', { body: patient({ id: 'client-id-1' }) });
    expect(res.status).toBe(201);
    expect(as<Patient>(res.body).id).toBe('client-id-1');
  });

  it('refuses an update whose body id differs from the URL', async () => {
    await using t = await createTestApp();
    const res = await t.fhir('PUT', 'Patient/a', { body: patient({ id: 'b' }) });
    expect(res.status).toBe(400);
    const missing = await t.fhir('PUT', 'Patient/a', { body: patient() });
    expect(missing.status).toBe(400);
  });

  it('deletes: read gives 410, history keeps the delete', async () => {
    await using t = await createTestApp();
    const p = as<Patient>((await t.fhir('POST', 'Patient', { body: patient() })).body);
    const del = await t.fhir('DELETE', `Patient/${p.id}`);
    expect(del.status).toBe(200);
    expect((await t.fhir('GET', `Patient/${p.id}`)).status).toBe(410);
    const hist = as<Bundle>((await t.fhir('GET', `Patient/${p.id}/_history`)).body);
    expect(hist.type).toBe('history');
    expect(hist.entry?.map((e) => e.request?.method)).toEqual(['DELETE', 'POST']);
    expect(hist.entry?.[0]?.resource).toBeUndefined();
    expect(hist.entry?.[1]?.response?.etag).toBe('W/"1"');
  });

  it('answers Prefer return=minimal and return=OperationOutcome', async () => {
    await using t = await createTestApp();
    const minimal = await t.fhir('POST', 'Patient', {
      body: patient(),
      headers: { prefer: 'return=minimal' },
    });
    expect(minimal.status).toBe(201);
    expect(minimal.text).toBe('');
    expect(minimal.headers.get('location')).toMatch(/Patient\/.+\/_history\/1$/);
    const oo = await t.fhir('POST', 'Patient', {
      body: patient(),
      headers: { prefer: 'return=OperationOutcome' },
    });
    expect(as<OperationOutcome>(oo.body).resourceType).toBe('OperationOutcome');
    const delMin = await t.fhir('DELETE', 'Patient/nothing-here', { headers: { prefer: 'return=minimal' } });
    expect(delMin.status).toBe(204);
  });

  it('404 for a missing resource and for an unknown type, 405 for an unsupported method', async () => {
    await using t = await createTestApp();
    expect((await t.fhir('GET', 'Patient/does-not-exist')).status).toBe(404);
    const unknown = await t.fhir('GET', 'Unicorn/1');
    expect(unknown.status).toBe(404);
    expect(as<OperationOutcome>(unknown.body).issue?.[0]?.code).toBe('not-found');
    expect((await t.fhir('POST', 'Patient/1')).status).toBe(405);
  });

  it('honours If-None-Match on read with 304', async () => {
    await using t = await createTestApp();
    const p = as<Patient>((await t.fhir('POST', 'Patient', { body: patient() })).body);
    const res = await t.fhir('GET', `Patient/${p.id}`, { headers: { 'if-none-match': 'W/"1"' } });
    expect(res.status).toBe(304);
  });
});
