import type { CapabilityStatement, OperationOutcome } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { as, createTestApp, patient } from './support.ts';

const INJECTIONS = [
  "'; drop table x;--",
  '" or 1=1 --',
  '%00',
  '\\',
  "gt2020-01-01'--",
  '$$;select pg_sleep(5);$$',
  'a|b|c|d',
  '::',
  '[]{}',
];

/** One parameter of each search-parameter type, plus the special and result parameters. */
const PARAMS = [
  'Patient?name', // string
  'Patient?name:exact',
  'Patient?identifier', // token
  'Patient?gender:not',
  'Patient?birthdate', // date
  'RiskAssessment?probability', // number
  'Observation?value-quantity', // quantity
  'Observation?subject', // reference
  'Observation?subject:Patient.name', // chain
  'Patient?_has:Observation:subject:code', // reverse chain
  'Observation?code-value-quantity', // composite
  'ValueSet?url', // uri
  'Location?near', // special
  'Patient?_id',
  'Patient?_lastUpdated',
  'Patient?_tag',
  'Patient?_profile',
  'Patient?_sort',
  'Patient?_include',
  'Patient?_revinclude',
  'Patient?_count',
  'Patient?_offset',
  'Patient?_total',
  'Patient?_summary',
  'Patient?_elements',
  '?_type',
];

describe('FHIR REST: bad input is never a 500', () => {
  it('malformed JSON, wrong or missing resourceType, non-object bodies → 400 OperationOutcome', async () => {
    await using t = await createTestApp();
    for (const body of [
      '{"resourceType":"Patient",',
      '[1,2]',
      '"text"',
      '{"name":[]}',
      '{"resourceType":"Observation"}',
    ]) {
      const res = await t.fhir('POST', 'Patient', { body });
      expect(res.status, body).toBe(400);
      expect(as<OperationOutcome>(res.body).resourceType).toBe('OperationOutcome');
    }
    const xmlBody = await t.fhir('POST', 'Patient', {
      body: '<Patient/>',
      headers: { 'content-type': 'application/fhir+xml' },
    });
    expect(xmlBody.status).toBe(415);
    const badEncoding = await t.fhir('GET', 'Patient/%E0%A4%A');
    expect(badEncoding.status).toBe(400);
  });

  it('bodies over the limit → 413, by Content-Length and by counting streamed bytes', async () => {
    await using t = await createTestApp({ maxBodyBytes: 2048 });
    const big = JSON.stringify(
      patient({ text: { status: 'generated', div: `<div>${'x'.repeat(4000)}</div>` } }),
    );
    const declared = await t.fhir('POST', 'Patient', { body: big });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++)
          controller.enqueue(new TextEncoder().encode(big.slice(i * 1000, (i + 1) * 1000)));
        controller.close();
      },
    });
    const streamed = await t.app.request('/fhir/R4/Patient', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('injection strings in every parameter type, path segment and header → 4xx or 200, never 500', async () => {
    await using t = await createTestApp();
    await t.fhir('POST', 'Patient', { body: patient() });
    const failures: string[] = [];
    for (const param of PARAMS) {
      for (const value of INJECTIONS) {
        const res = await t.fhir('GET', `${param}=${encodeURIComponent(value)}`);
        if (res.status >= 500) failures.push(`${param}=${value} → ${res.status}`);
      }
    }
    for (const value of INJECTIONS) {
      const seg = encodeURIComponent(value);
      for (const path of [
        `Patient/${seg}`,
        `Patient/${seg}/_history/${seg}`,
        `${seg}/1`,
        `Patient/1/${seg}`,
      ]) {
        const res = await t.fhir('GET', path);
        if (res.status >= 500) failures.push(`${path} → ${res.status}`);
      }
      const headers = { 'if-none-exist': `identifier=${value}`, 'if-match': value, prefer: value };
      const res = await t.fhir('POST', 'Patient', { body: patient(), headers });
      if (res.status >= 500) failures.push(`headers ${value} → ${res.status}`);
    }
    for (const raw of ['Patient?name=%00', 'Patient?identifier=a%00|b', 'Patient/%00', 'Patient?%00=1']) {
      const res = await t.fhir('GET', raw);
      if (res.status >= 500) failures.push(`${raw} → ${res.status}`);
    }
    const nulBody = await t.fhir('POST', 'Patient', {
      body: '{"resourceType":"Patient","name":[{"family":"a\\u0000b"}]}',
    });
    if (nulBody.status >= 500) failures.push(`NUL in body → ${nulBody.status}`);
    expect(failures).toEqual([]);
    const count = await t.fhir('GET', 'Patient?_total=accurate');
    expect(count.status).toBe(200);
  });

  it('duplicate and repeated parameters are answered, not crashed on', async () => {
    await using t = await createTestApp();
    for (const q of [
      '_count=1&_count=2',
      '_sort=name&_sort=-birthdate',
      'name=a&name=b',
      '_summary=true&_summary=count',
      '_format=json&_format=xml',
    ]) {
      const res = await t.fhir('GET', `Patient?${q}`);
      expect(res.status, q).toBeLessThan(500);
    }
  });
});

describe('FHIR REST: $validate and metadata', () => {
  it('$validate returns 200 with error issues for an invalid resource and informational for a valid one', async () => {
    await using t = await createTestApp();
    const bad = await t.fhir('POST', 'Patient/$validate', {
      body: { resourceType: 'Patient', gender: 'fem' },
    });
    expect(bad.status).toBe(200);
    expect(as<OperationOutcome>(bad.body).issue?.some((i) => i.severity === 'error')).toBe(true);
    const good = await t.fhir('POST', 'Patient/$validate', {
      body: { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: patient() }] },
    });
    expect(as<OperationOutcome>(good.body).issue?.every((i) => i.severity !== 'error')).toBe(true);
    const stored = await t.fhir('PUT', 'Patient/v1', { body: patient({ id: 'v1' }) });
    expect(stored.status).toBe(201);
    expect((await t.fhir('GET', 'Patient/v1/$validate')).status).toBe(200);
    expect((await t.fhir('POST', 'Patient/$nope', { body: patient() })).status).toBe(404);
  });

  it('metadata states R4, JSON only, interactions, search params and operations', async () => {
    await using t = await createTestApp();
    const res = await t.fhir('GET', 'metadata?_pretty=true');
    expect(res.text).toContain('\n  ');
    const cs = as<CapabilityStatement>(res.body);
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.format).toEqual(['json', 'application/fhir+json']);
    const rest = cs.rest?.[0];
    expect(rest?.interaction?.map((i) => i.code).sort()).toEqual([
      'batch',
      'history-system',
      'search-system',
      'transaction',
    ]);
    const p = rest?.resource?.find((r) => r.type === 'Patient');
    expect(p?.conditionalDelete).toBe('single');
    expect(p?.versioning).toBe('versioned-update');
    expect(p?.searchParam?.find((s) => s.name === 'birthdate')?.type).toBe('date');
    expect(p?.searchRevInclude).toContain('Observation:subject');
    expect(p?.operation?.map((o) => o.name)).toContain('validate');
    expect(rest?.resource?.some((r) => (r.type as string) === 'Resource')).toBe(false);
  });
});
