import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createPlatformFixture, ORIGIN } from './platform-support.ts';

const patient = (id: string, family: string): Patient => ({
  resourceType: 'Patient',
  id,
  name: [{ family, given: ['测试'] }],
  gender: 'female',
});
const observation = (id: string, patientId: string): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${patientId}` },
  valueQuantity: { value: 70, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
});

describe('bulk data', () => {
  it('exports system, Patient and Group level as NDJSON, and imports an export back', async () => {
    await using fx = await createPlatformFixture();
    for (const id of ['p1', 'p2']) await fx.json('PUT', `/fhir/R4/Patient/${id}`, patient(id, '黄'));
    await fx.json('PUT', '/fhir/R4/Observation/o1', observation('o1', 'p1'));
    await fx.json('PUT', '/fhir/R4/Observation/o2', observation('o2', 'p2'));
    await fx.json('PUT', '/fhir/R4/Organization/org1', {
      resourceType: 'Organization',
      id: 'org1',
      name: '思明区医院',
    });
    await fx.json('PUT', '/fhir/R4/Group/g1', {
      resourceType: 'Group',
      id: 'g1',
      type: 'person',
      actual: true,
      member: [{ entity: { reference: 'Patient/p1' } }],
    });

    const kickoff = await fx.request('GET', '/fhir/R4/$export', undefined, { prefer: 'respond-async' });
    expect(kickoff.status).toBe(202);
    const status = kickoff.headers.get('content-location')!;
    expect(status.startsWith(`${ORIGIN}/bulk/status/`)).toBe(true);
    const done = await fx.waitForJob(status);
    expect(done.status).toBe(200);
    const manifest = (await done.json()) as { output: { type: string; url: string; count: number }[] };
    const counts = Object.fromEntries(manifest.output.map((o) => [o.type, o.count]));
    expect(counts).toMatchObject({ Patient: 2, Observation: 2, Organization: 1, Group: 1 });
    const file = await fx.request('GET', manifest.output.find((o) => o.type === 'Observation')!.url);
    expect(file.headers.get('content-type')).toContain('ndjson');
    const lines = (await file.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Observation);
    expect(lines.map((o) => o.id).sort()).toEqual(['o1', 'o2']);

    const patientLevel = await fx.request(
      'GET',
      '/fhir/R4/Patient/$export?_type=Observation,Patient,Organization',
    );
    const pManifest = (await (await fx.waitForJob(patientLevel.headers.get('content-location')!)).json()) as {
      output: { type: string; count: number }[];
    };
    expect(pManifest.output.map((o) => o.type).sort()).toEqual(['Observation', 'Patient']);

    const group = await fx.request('GET', '/fhir/R4/Group/g1/$export');
    const gManifest = (await (await fx.waitForJob(group.headers.get('content-location')!)).json()) as {
      output: { type: string; count: number }[];
    };
    expect(Object.fromEntries(gManifest.output.map((o) => [o.type, o.count]))).toEqual({
      Group: 1,
      Observation: 1,
      Patient: 1,
    });

    // Round trip: upload the exported Observation file plus one bad line, import it into the same server.
    const upload = await fx.request(
      'POST',
      '/bulk/uploads',
      `${lines.map((o) => JSON.stringify({ ...o, status: 'amended' })).join('\n')}\n{"resourceType":"Patient","gender":"fem"}\n`,
      { 'content-type': 'application/fhir+ndjson' },
    );
    expect(upload.status).toBe(201);
    const { url } = (await upload.json()) as { url: string };
    const importKick = await fx.request('POST', '/fhir/R4/$import', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'inputFormat', valueCode: 'application/fhir+ndjson' },
        {
          name: 'input',
          part: [
            { name: 'type', valueCode: 'Observation' },
            { name: 'url', valueUri: url },
          ],
        },
      ],
    });
    expect(importKick.status).toBe(202);
    const imported = (await (await fx.waitForJob(importKick.headers.get('content-location')!)).json()) as {
      output: { count: number }[];
      error: { url: string; count: number }[];
    };
    expect(imported.output[0]?.count).toBe(2);
    expect(imported.error[0]?.count).toBe(1);
    const errors = await (await fx.request('GET', imported.error[0]!.url)).text();
    expect(errors).toContain('line 3');
    const o1 = await fx.json<Observation>('GET', '/fhir/R4/Observation/o1');
    expect(o1.body.status).toBe('amended');
    expect(o1.body.meta?.versionId).toBe('2');
  });

  it('refuses imports from origins that are not allowed, and cancels jobs', async () => {
    await using fx = await createPlatformFixture();
    const refused = await fx.json<{ issue: { diagnostics: string }[] }>('POST', '/fhir/R4/$import', {
      resourceType: 'Parameters',
      parameter: [{ name: 'input', part: [{ name: 'url', valueUri: 'http://169.254.169.254/latest' }] }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.issue[0]?.diagnostics).toContain('not allowed');
    const kick = await fx.request('GET', '/fhir/R4/$export');
    const status = kick.headers.get('content-location')!;
    expect((await fx.request('DELETE', status)).status).toBe(202);
    expect((await fx.request('GET', status)).status).toBe(404);
    expect((await fx.request('GET', '/bulk/status/not-a-job')).status).toBe(404);
    expect((await fx.request('GET', '/bulk/files/x/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });
});

describe('Patient/$everything', () => {
  it('returns the patient, its compartment and what they reference, paged', async () => {
    await using fx = await createPlatformFixture();
    await fx.json('PUT', '/fhir/R4/Organization/org1', {
      resourceType: 'Organization',
      id: 'org1',
      name: '湖里区医院',
    });
    await fx.json('PUT', '/fhir/R4/Patient/p1', {
      ...patient('p1', '郑'),
      managingOrganization: { reference: 'Organization/org1' },
    });
    await fx.json('PUT', '/fhir/R4/Patient/p2', patient('p2', '谢'));
    for (let i = 0; i < 5; i++)
      await fx.json('PUT', `/fhir/R4/Observation/o${i}`, observation(`o${i}`, 'p1'));
    await fx.json('PUT', '/fhir/R4/Observation/other', observation('other', 'p2'));

    const all = await fx.json<Bundle>('GET', '/fhir/R4/Patient/p1/$everything');
    expect(all.status).toBe(200);
    const ids = all.body.entry!.map((e) => `${e.resource!.resourceType}/${e.resource!.id}`).sort();
    expect(ids).toEqual([
      'Observation/o0',
      'Observation/o1',
      'Observation/o2',
      'Observation/o3',
      'Observation/o4',
      'Organization/org1',
      'Patient/p1',
    ]);
    const page = await fx.json<Bundle>('GET', '/fhir/R4/Patient/p1/$everything?_count=2&_type=Observation');
    expect(page.body.entry!.filter((e) => e.search?.mode === 'match')).toHaveLength(2);
    expect(page.body.link!.some((l) => l.relation === 'next')).toBe(true);
    expect((await fx.json('GET', '/fhir/R4/Patient/nobody/$everything')).status).toBe(404);
  });
});

describe('custom SearchParameter + $reindex', () => {
  it('is ignored until $reindex, then indexes old and new resources', async () => {
    await using fx = await createPlatformFixture();
    await fx.json('PUT', '/fhir/R4/Patient/n1', {
      ...patient('n1', '何'),
      name: [{ use: 'nickname', given: ['小明'] }],
    });
    await fx.json('POST', '/fhir/R4/SearchParameter', {
      resourceType: 'SearchParameter',
      url: 'http://yiyun.example/SearchParameter/patient-nickname',
      name: 'nickname',
      status: 'active',
      description: 'Nickname',
      code: 'nickname',
      base: ['Patient'],
      type: 'string',
      expression: "Patient.name.where(use = 'nickname').given",
    });
    const before = await fx.request('GET', '/fhir/R4/Patient?nickname=小明', undefined, {
      prefer: 'handling=strict',
    });
    expect(before.status).toBe(400);
    const kick = await fx.request('POST', '/fhir/R4/$reindex');
    expect(kick.status).toBe(202);
    const done = await fx.waitForJob(kick.headers.get('content-location')!);
    expect(done.status).toBe(200);
    const after = await fx.json<Bundle>('GET', '/fhir/R4/Patient?nickname=小明');
    expect(after.body.entry?.map((e) => e.resource?.id)).toEqual(['n1']);
  });
});
