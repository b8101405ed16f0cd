import type { Bundle, BundleEntry, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { as, createTestApp, patient } from './support.ts';

const PAT = 'urn:uuid:6f1d0c1e-0000-4000-8000-000000000001';
const ENC = 'urn:uuid:6f1d0c1e-0000-4000-8000-000000000002';

function tx(type: 'transaction' | 'batch', entry: BundleEntry[]): Bundle {
  return { resourceType: 'Bundle', type, entry };
}

function obs(subject: string, extra: Record<string, unknown> = {}): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'bp' },
    subject: { reference: subject },
    ...extra,
  } as Observation;
}

describe('FHIR REST: transaction and batch', () => {
  it('resolves urn:uuid fullUrls everywhere and answers in entry order', async () => {
    await using t = await createTestApp();
    const bundle = tx('transaction', [
      {
        fullUrl: 'urn:uuid:obs',
        resource: obs(PAT, {
          encounter: { reference: ENC },
          extension: [{ url: 'http://x', valueReference: { reference: PAT } }],
        }),
        request: { method: 'POST', url: 'Observation' },
      },
      { fullUrl: PAT, resource: patient(), request: { method: 'POST', url: 'Patient' } },
      {
        fullUrl: ENC,
        resource: {
          resourceType: 'Encounter',
          status: 'finished',
          class: { code: 'AMB' },
          subject: { reference: PAT },
        },
        request: { method: 'POST', url: 'Encounter' },
      },
    ]);
    const res = await t.fhir('POST', '', { body: bundle });
    expect(res.status).toBe(200);
    const out = as<Bundle>(res.body);
    expect(out.type).toBe('transaction-response');
    expect(out.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created', '201 Created']);
    const patientId = as<Patient>(out.entry?.[1]?.resource).id;
    const encounterId = out.entry?.[2]?.resource?.id;
    const o = as<Observation>(out.entry?.[0]?.resource);
    expect(o.subject?.reference).toBe(`Patient/${patientId}`);
    expect(o.encounter?.reference).toBe(`Encounter/${encounterId}`);
    expect(o.extension?.[0]?.valueReference?.reference).toBe(`Patient/${patientId}`);
    expect(out.entry?.[1]?.response?.location).toMatch(new RegExp(`Patient/${patientId}/_history/1$`));
    expect(out.entry?.[1]?.response?.etag).toBe('W/"1"');
    const stored = as<Observation>((await t.fhir('GET', `Observation/${o.id}`)).body);
    expect(stored.subject?.reference).toBe(`Patient/${patientId}`);
  });

  it('is atomic: a failing entry leaves nothing behind', async () => {
    await using t = await createTestApp();
    const invalid = tx('transaction', [
      { fullUrl: PAT, resource: patient(), request: { method: 'POST', url: 'Patient' } },
      {
        resource: { resourceType: 'Patient', gender: 'fem' } as unknown as Patient,
        request: { method: 'POST', url: 'Patient' },
      },
    ]);
    const res = await t.fhir('POST', '', { body: invalid });
    expect(res.status).toBe(400);
    expect(JSON.stringify(as<OperationOutcome>(res.body).issue)).toContain('Bundle.entry[1]');
    const dangling = tx('transaction', [
      { fullUrl: PAT, resource: patient(), request: { method: 'POST', url: 'Patient' } },
      { resource: obs('urn:uuid:not-in-bundle'), request: { method: 'POST', url: 'Observation' } },
    ]);
    expect((await t.fhir('POST', '', { body: dangling })).status).toBe(400);
    const failedLater = tx('transaction', [
      { resource: patient(), request: { method: 'POST', url: 'Patient' } },
      { request: { method: 'GET', url: 'Patient/does-not-exist' } },
    ]);
    expect((await t.fhir('POST', '', { body: failedLater })).status).toBe(404);
    const all = as<Bundle>((await t.fhir('GET', '?_type=Patient,Observation&_total=accurate')).body);
    expect(all.total).toBe(0);
  });

  it('supports conditional entries and conditional references', async () => {
    await using t = await createTestApp();
    const existing = as<Patient>(
      (await t.fhir('POST', 'Patient', { body: patient({ identifier: [{ system: 'urn:id', value: 'x' }] }) }))
        .body,
    );
    await t.fhir('PUT', 'Patient/to-delete', { body: patient({ id: 'to-delete' }) });
    await t.fhir('PUT', 'Patient/cond-delete', { body: patient({ id: 'cond-delete' }) });
    const res = await t.fhir('POST', '', {
      body: tx('transaction', [
        {
          fullUrl: PAT,
          resource: patient({ identifier: [{ system: 'urn:id', value: 'x' }] }),
          request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:id|x' },
        },
        { resource: obs(PAT), request: { method: 'POST', url: 'Observation' } },
        { resource: obs('Patient?identifier=urn:id|x'), request: { method: 'POST', url: 'Observation' } },
        {
          resource: patient({ identifier: [{ system: 'urn:id', value: 'y' }] }),
          request: { method: 'PUT', url: 'Patient?identifier=urn:id|y' },
        },
        { request: { method: 'DELETE', url: 'Patient/to-delete' } },
        { request: { method: 'GET', url: 'Patient?identifier=urn:id|y' } },
        { request: { method: 'DELETE', url: 'Patient?_id=cond-delete' } },
      ]),
    });
    expect(res.status).toBe(200);
    const out = as<Bundle>(res.body);
    expect(out.entry?.map((e) => e.response?.status.slice(0, 3))).toEqual([
      '200',
      '201',
      '201',
      '201',
      '200',
      '200',
      '200',
    ]);
    expect(as<Observation>(out.entry?.[1]?.resource).subject?.reference).toBe(`Patient/${existing.id}`);
    expect(as<Observation>(out.entry?.[2]?.resource).subject?.reference).toBe(`Patient/${existing.id}`);
    expect(as<Bundle>(out.entry?.[5]?.resource).entry).toHaveLength(1);
    expect((await t.fhir('GET', 'Patient/to-delete')).status).toBe(410);
    expect((await t.fhir('GET', 'Patient/cond-delete')).status).toBe(410);
    const ambiguous = tx('transaction', [
      { resource: obs('Patient?gender=male'), request: { method: 'POST', url: 'Observation' } },
    ]);
    expect((await t.fhir('POST', '', { body: ambiguous })).status).toBe(400);
  });

  it('batch runs entries independently, each with its own outcome', async () => {
    await using t = await createTestApp();
    const res = await t.fhir('POST', '', {
      body: tx('batch', [
        { resource: patient(), request: { method: 'POST', url: 'Patient' } },
        {
          resource: { resourceType: 'Patient', gender: 'fem' } as unknown as Patient,
          request: { method: 'POST', url: 'Patient' },
        },
        { request: { method: 'GET', url: 'Patient/missing' } },
        { request: { method: 'GET', url: 'Patient?_count=5' } },
        { request: { method: 'POST', url: '' } as never },
      ]),
    });
    expect(res.status).toBe(200);
    const out = as<Bundle>(res.body);
    expect(out.type).toBe('batch-response');
    expect(out.entry?.map((e) => e.response?.status.slice(0, 3))).toEqual([
      '201',
      '400',
      '404',
      '200',
      '400',
    ]);
    expect(out.entry?.[1]?.response?.outcome?.resourceType).toBe('OperationOutcome');
    expect(as<Bundle>(out.entry?.[3]?.resource).entry).toHaveLength(1);
  });

  it('honours Prefer return=minimal for entries and refuses other bundle types', async () => {
    await using t = await createTestApp();
    const res = await t.fhir('POST', '', {
      body: tx('transaction', [{ resource: patient(), request: { method: 'POST', url: 'Patient' } }]),
      headers: { prefer: 'return=minimal' },
    });
    const entry = as<Bundle>(res.body).entry?.[0];
    expect(entry?.resource).toBeUndefined();
    expect(entry?.response?.location).toMatch(/Patient\/.+\/_history\/1$/);
    const oo = await t.fhir('POST', '', {
      body: tx('batch', [{ resource: patient(), request: { method: 'POST', url: 'Patient' } }]),
      headers: { prefer: 'return=OperationOutcome' },
    });
    const ooEntry = as<Bundle>(oo.body).entry?.[0];
    expect(ooEntry?.response?.outcome?.resourceType).toBe('OperationOutcome');
    expect(ooEntry?.resource).toBeUndefined();
    const collection = await t.fhir('POST', '', { body: { resourceType: 'Bundle', type: 'collection' } });
    expect(collection.status).toBe(400);
  });
});
