import type { Bundle, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { as, createTestApp, patient } from './support.ts';

const ident = (value: string) => ({ identifier: [{ system: 'urn:id', value }] });

describe('FHIR REST: conditional interactions', () => {
  it('conditional create: 0 → 201, 1 → 200 with the existing, many → 412; concurrent ones create one', async () => {
    await using t = await createTestApp();
    const headers = { 'if-none-exist': 'identifier=urn:id|1' };
    const first = await t.fhir('POST', 'Patient', { body: patient(ident('1')), headers });
    expect(first.status).toBe(201);
    const second = await t.fhir('POST', 'Patient', { body: patient(ident('1')), headers });
    expect(second.status).toBe(200);
    expect(as<Patient>(second.body).id).toBe(as<Patient>(first.body).id);
    const racing = await Promise.all(
      [0, 1, 2, 3].map(() =>
        t.fhir('POST', 'Patient', {
          body: patient(ident('2')),
          headers: { 'if-none-exist': 'identifier=urn:id|2' },
        }),
      ),
    );
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
    expect(as<Bundle>((await t.fhir('GET', 'Patient?identifier=urn:id|2&_total=accurate')).body).total).toBe(
      1,
    );
    await t.fhir('POST', 'Patient', { body: patient(ident('1')) });
    const many = await t.fhir('POST', 'Patient', { body: patient(ident('1')), headers });
    expect(many.status).toBe(412);
  });

  it('conditional update: 0 → create, 1 → update that id, many → 412; body id mismatch → 400', async () => {
    await using t = await createTestApp();
    const created = await t.fhir('PUT', 'Patient?identifier=urn:id|9', { body: patient(ident('9')) });
    expect(created.status).toBe(201);
    const id = as<Patient>(created.body).id;
    const updated = await t.fhir('PUT', 'Patient?identifier=urn:id|9', {
      body: patient({ ...ident('9'), gender: 'female' }),
    });
    expect(updated.status).toBe(200);
    expect(as<Patient>(updated.body).id).toBe(id);
    expect(updated.headers.get('etag')).toBe('W/"2"');
    const mismatch = await t.fhir('PUT', 'Patient?identifier=urn:id|9', {
      body: patient({ ...ident('9'), id: 'other' }),
    });
    expect(mismatch.status).toBe(400);
    await t.fhir('POST', 'Patient', { body: patient(ident('9')) });
    expect((await t.fhir('PUT', 'Patient?identifier=urn:id|9', { body: patient(ident('9')) })).status).toBe(
      412,
    );
    expect((await t.fhir('PUT', 'Patient', { body: patient() })).status).toBe(400);
  });

  it('conditional delete: single match deleted, none is fine, many → 412', async () => {
    await using t = await createTestApp();
    const p = as<Patient>((await t.fhir('POST', 'Patient', { body: patient(ident('d')) })).body);
    expect((await t.fhir('DELETE', 'Patient?identifier=urn:id|d')).status).toBe(200);
    expect((await t.fhir('GET', `Patient/${p.id}`)).status).toBe(410);
    expect((await t.fhir('DELETE', 'Patient?identifier=urn:id|none')).status).toBe(200);
    await t.fhir('POST', 'Patient', { body: patient(ident('m')) });
    await t.fhir('POST', 'Patient', { body: patient(ident('m')) });
    expect((await t.fhir('DELETE', 'Patient?identifier=urn:id|m')).status).toBe(412);
    expect((await t.fhir('DELETE', 'Patient?bogus=1')).status).toBe(400);
  });

  it('patch: JSON Patch and FHIRPath Patch, If-Match, conditional patch; concurrent patches lose nothing', async () => {
    await using t = await createTestApp();
    const p = as<Patient>((await t.fhir('POST', 'Patient', { body: patient(ident('p')) })).body);
    const json = await t.fhir('PATCH', `Patient/${p.id}`, {
      body: [{ op: 'replace', path: '/gender', value: 'female' }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(json.status).toBe(200);
    expect(as<Patient>(json.body).gender).toBe('female');
    const fhirpath = await t.fhir('PATCH', `Patient/${p.id}`, {
      body: {
        resourceType: 'Parameters',
        parameter: [
          {
            name: 'operation',
            part: [
              { name: 'type', valueCode: 'replace' },
              { name: 'path', valueString: 'Patient.birthDate' },
              { name: 'value', valueDate: '1990-05-06' },
            ],
          },
        ],
      },
    });
    expect(fhirpath.status).toBe(200);
    expect(as<Patient>(fhirpath.body).birthDate).toBe('1990-05-06');
    const stale = await t.fhir('PATCH', `Patient/${p.id}`, {
      body: [{ op: 'replace', path: '/gender', value: 'male' }],
      headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"1"' },
    });
    expect(stale.status).toBe(412);
    const cond = await t.fhir('PATCH', 'Patient?identifier=urn:id|p', {
      body: [{ op: 'add', path: '/active', value: true }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(as<Patient>(cond.body).active).toBe(true);
    const results = await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        t.fhir('PATCH', `Patient/${p.id}`, {
          body: [{ op: 'add', path: '/name/-', value: { family: v } }],
          headers: { 'content-type': 'application/json-patch+json' },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const final = as<Patient>((await t.fhir('GET', `Patient/${p.id}`)).body);
    expect(final.name?.map((n) => n.family).sort()).toEqual(['Zhang', 'a', 'b', 'c']);
    const changesId = await t.fhir('PATCH', `Patient/${p.id}`, {
      body: [{ op: 'replace', path: '/id', value: 'x' }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(changesId.status).toBeGreaterThanOrEqual(400);
    expect(changesId.status).toBeLessThan(500);
  });
});
