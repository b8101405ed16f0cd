import type { Bundle, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { as, createTestApp, patient } from './support.ts';

describe('FHIR REST: search', () => {
  it('searches by GET and POST _search with paging links, total and absolute fullUrls', async () => {
    await using t = await createTestApp();
    for (const family of ['Li', 'Li', 'Li', 'Wang']) {
      await t.fhir('POST', 'Patient', {
        body: patient({ name: [{ family }] }),
        headers: { prefer: 'return=minimal' },
      });
    }
    const page1 = as<Bundle>((await t.fhir('GET', 'Patient?family=Li&_count=2&_total=accurate')).body);
    expect(page1.type).toBe('searchset');
    expect(page1.total).toBe(3);
    expect(page1.entry).toHaveLength(2);
    expect(page1.entry?.[0]?.fullUrl).toMatch(/^http:\/\/test\.local\/fhir\/R4\/Patient\/.+/);
    expect(page1.entry?.[0]?.search?.mode).toBe('match');
    const next = page1.link?.find((l) => l.relation === 'next')?.url ?? '';
    expect(next).toContain('_offset=2');
    const page2 = as<Bundle>((await t.fhir('GET', next.replace('http://test.local/fhir/R4/', ''))).body);
    expect(page2.entry).toHaveLength(1);
    expect(page2.link?.some((l) => l.relation === 'previous')).toBe(true);
    expect(page2.link?.some((l) => l.relation === 'next')).toBe(false);
    const posted = await t.fhir('POST', 'Patient/_search', {
      body: 'family=Wang',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(as<Bundle>(posted.body).entry).toHaveLength(1);
  });

  it('warns about unknown parameters, or refuses them under handling=strict', async () => {
    await using t = await createTestApp();
    const lenient = as<Bundle>((await t.fhir('GET', 'Patient?nonsense=1')).body);
    const outcomeEntry = lenient.entry?.find((e) => e.search?.mode === 'outcome');
    expect(as<OperationOutcome>(outcomeEntry?.resource).issue?.[0]?.severity).toBe('warning');
    const strict = await t.fhir('GET', 'Patient?nonsense=1', { headers: { prefer: 'handling=strict' } });
    expect(strict.status).toBe(400);
  });

  it('_summary=count gives only the total; _elements and _summary project results and reads', async () => {
    await using t = await createTestApp();
    const created = await t.fhir('POST', 'Patient', {
      body: patient({
        text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' },
      }),
    });
    const id = as<Patient>(created.body).id;
    const count = as<Bundle>((await t.fhir('GET', 'Patient?_summary=count')).body);
    expect(count.total).toBe(1);
    expect(count.entry).toBeUndefined();
    const elements = as<Bundle>((await t.fhir('GET', 'Patient?_elements=birthDate')).body);
    const projected = as<Patient>(elements.entry?.[0]?.resource);
    expect(projected.birthDate).toBe('1980-01-02');
    expect(projected.name).toBeUndefined();
    const read = as<Patient>((await t.fhir('GET', `Patient/${id}?_elements=gender`)).body);
    expect(read.gender).toBe('male');
    expect(read.birthDate).toBeUndefined();
    const summary = as<Patient>((await t.fhir('GET', `Patient/${id}?_summary=text`)).body);
    expect(summary.text?.div).toContain('x');
    expect(summary.gender).toBeUndefined();
  });

  it('system search with _type and compartment search', async () => {
    await using t = await createTestApp();
    const p = as<Patient>((await t.fhir('POST', 'Patient', { body: patient() })).body);
    const other = as<Patient>((await t.fhir('POST', 'Patient', { body: patient() })).body);
    for (const subject of [p.id, p.id, other.id]) {
      await t.fhir('POST', 'Observation', {
        body: {
          resourceType: 'Observation',
          status: 'final',
          code: { text: 'bp' },
          subject: { reference: `Patient/${subject}` },
        },
      });
    }
    const compartment = as<Bundle>((await t.fhir('GET', `Patient/${p.id}/Observation`)).body);
    expect(compartment.entry).toHaveLength(2);
    expect(compartment.link?.[0]?.url).toContain(`/Patient/${p.id}/Observation`);
    const system = as<Bundle>((await t.fhir('GET', '?_type=Patient,Observation&_count=50')).body);
    expect(system.entry).toHaveLength(5);
    const includes = as<Bundle>(
      (await t.fhir('GET', `Observation?subject=Patient/${p.id}&_include=Observation:subject`)).body,
    );
    expect(includes.entry?.filter((e) => e.search?.mode === 'include')).toHaveLength(1);
  });

  it('history at type and system level with _since and paging', async () => {
    await using t = await createTestApp();
    const p = as<Patient>((await t.fhir('POST', 'Patient', { body: patient() })).body);
    await t.fhir('PUT', `Patient/${p.id}`, { body: { ...p, gender: 'female' } });
    await t.fhir('POST', 'Observation', {
      body: { resourceType: 'Observation', status: 'final', code: { text: 'x' } },
    });
    const type = as<Bundle>((await t.fhir('GET', 'Patient/_history')).body);
    expect(type.entry?.map((e) => e.response?.etag)).toEqual(['W/"2"', 'W/"1"']);
    const system = as<Bundle>((await t.fhir('GET', '_history?_count=2')).body);
    expect(system.total).toBe(3);
    expect(system.entry).toHaveLength(2);
    expect(system.link?.find((l) => l.relation === 'next')?.url).toContain('_offset=2');
    const future = as<Bundle>((await t.fhir('GET', '_history?_since=2999-01-01T00:00:00Z')).body);
    expect(future.entry ?? []).toHaveLength(0);
    expect((await t.fhir('GET', '_history?_since=tomorrow')).status).toBe(400);
  });
});
