import type { CarePlan, Observation, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { extractIndexEntries } from './extract.ts';
import { createSearchParamRegistry } from './registry.ts';
import type { IndexEntry } from './types.ts';

const registry = createSearchParamRegistry();
const values = (entries: IndexEntry[], param: string) =>
  entries.filter((e) => e.param === param).map((e) => e.value);

const patient: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: {
    tag: [{ system: 'https://yiyun.example/tags', code: 'demo' }],
    profile: ['http://example.org/StructureDefinition/cn-patient|1.0'],
  },
  identifier: [
    {
      system: 'urn:oid:2.16.156.10011.1.1',
      value: '110101199003077777',
      type: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }],
        text: '居民身份证',
      },
    },
  ],
  name: [
    { family: '张', given: ['伟'] },
    { family: 'Zhang', given: ['Wei'], prefix: ['Dr.'] },
  ],
  gender: 'male',
  birthDate: '1990-03-07',
  telecom: [{ system: 'phone', value: '13800138000' }],
  address: [
    {
      line: ['文三路 90 号'],
      city: '杭州市',
      district: '西湖区',
      state: '浙江省',
      postalCode: '310012',
      country: 'CN',
    },
  ],
  generalPractitioner: [{ reference: 'https://other.example/fhir/Practitioner/dr1/_history/3' }],
  managingOrganization: { reference: '#org1' },
};

describe('extractIndexEntries: Patient', () => {
  const entries = extractIndexEntries(patient, registry);
  it('indexes name parts, the Chinese family+given form and "given family"', () => {
    const exact = values(entries, 'name').map((v) => (v.kind === 'string' ? v.exact : ''));
    expect(exact).toEqual(expect.arrayContaining(['张', '伟', '张伟', 'Zhang', 'Wei', 'Dr.', 'Wei Zhang']));
    expect(values(entries, 'family')).toContainEqual({ kind: 'string', normalized: 'zhang', exact: 'Zhang' });
  });
  it('indexes identifiers with their type for :of-type', () => {
    expect(values(entries, 'identifier')).toEqual([
      {
        kind: 'token',
        system: 'urn:oid:2.16.156.10011.1.1',
        code: '110101199003077777',
        text: '居民身份证',
        typeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
        typeCode: 'NI',
      },
    ]);
  });
  it('indexes birthDate as a day range, gender and telecom as tokens', () => {
    expect(values(entries, 'birthdate')).toEqual([
      { kind: 'date', low: '1990-03-07T00:00:00.000Z', high: '1990-03-08T00:00:00.000Z' },
    ]);
    expect(values(entries, 'gender')).toEqual([{ kind: 'token', system: null, code: 'male' }]);
    expect(values(entries, 'phone')).toEqual([{ kind: 'token', system: null, code: '13800138000' }]);
    expect(values(entries, 'email')).toEqual([]);
  });
  it('indexes address parts and the whole address, Chinese order included', () => {
    const exact = values(entries, 'address').map((v) => (v.kind === 'string' ? v.exact : ''));
    expect(exact).toEqual(
      expect.arrayContaining(['杭州市', '西湖区', '310012', 'CN浙江省杭州市西湖区文三路 90 号']),
    );
    expect(values(entries, 'address-city')).toEqual([
      { kind: 'string', normalized: '杭州市', exact: '杭州市' },
    ]);
  });
  it('indexes absolute references with type/id and skips contained ones', () => {
    expect(values(entries, 'general-practitioner')).toEqual([
      {
        kind: 'reference',
        targetType: 'Practitioner',
        targetId: 'dr1',
        url: 'https://other.example/fhir/Practitioner/dr1',
      },
    ]);
    expect(values(entries, 'organization')).toEqual([]);
  });
  it('indexes _tag and _profile like normal parameters (profile with and without version)', () => {
    expect(values(entries, '_tag')).toEqual([
      { kind: 'token', system: 'https://yiyun.example/tags', code: 'demo' },
    ]);
    expect(values(entries, '_profile')).toEqual([
      { kind: 'uri', value: 'http://example.org/StructureDefinition/cn-patient|1.0' },
      { kind: 'uri', value: 'http://example.org/StructureDefinition/cn-patient' },
    ]);
    expect(entries.some((e) => e.param === '_id' || e.param === '_lastUpdated')).toBe(false);
  });
});

const bp: Observation = {
  resourceType: 'Observation',
  status: 'final',
  code: {
    coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure' }],
    text: '血压',
  },
  subject: { reference: 'Patient/p1' },
  encounter: { identifier: { system: 'urn:visit', value: 'V1' } },
  effectivePeriod: { start: '2024-05-01T08:00:00+08:00' },
  valueQuantity: { value: 120.5, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: 120, code: 'mm[Hg]', system: 'http://unitsofmeasure.org' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
      valueQuantity: { value: 80, code: 'mm[Hg]', system: 'http://unitsofmeasure.org' },
    },
  ],
};

describe('extractIndexEntries: Observation', () => {
  const entries = extractIndexEntries(bp, registry);
  it('indexes code tokens with normalized text', () => {
    expect(values(entries, 'code')).toEqual([
      { kind: 'token', system: 'http://loinc.org', code: '85354-9', text: '血压' },
    ]);
  });
  it('indexes value-quantity with its precision range', () => {
    expect(values(entries, 'value-quantity')).toEqual([
      {
        kind: 'quantity',
        value: '120.5',
        low: '120.45',
        high: '120.55',
        system: 'http://unitsofmeasure.org',
        code: 'mm[Hg]',
        unit: 'mmHg',
      },
    ]);
  });
  it('indexes an open period and the subject / patient references', () => {
    expect(values(entries, 'date')).toEqual([{ kind: 'date', low: '2024-05-01T00:00:00.000Z', high: null }]);
    expect(values(entries, 'subject')).toEqual([
      { kind: 'reference', targetType: 'Patient', targetId: 'p1', url: null },
    ]);
    expect(values(entries, 'patient')).toHaveLength(1);
    expect(values(entries, 'encounter')).toEqual([
      {
        kind: 'reference',
        targetType: null,
        targetId: null,
        url: null,
        identifierSystem: 'urn:visit',
        identifierValue: 'V1',
      },
    ]);
  });
  it('builds one composite per component (component-code-value-quantity)', () => {
    const c = values(entries, 'component-code-value-quantity');
    expect(c).toHaveLength(2);
    expect(c[1]).toMatchObject({
      kind: 'composite',
      components: [{ code: '8462-4' }, { value: '80', low: '79.5', high: '80.5' }],
    });
  });
  it('builds code-value-quantity on the whole resource', () => {
    expect(values(entries, 'code-value-quantity')).toEqual([
      { kind: 'composite', components: [values(entries, 'code')[0], values(entries, 'value-quantity')[0]] },
    ]);
  });
  it('deduplicates identical values per parameter', () => {
    const twice = extractIndexEntries(
      { ...bp, category: [{ coding: [{ code: 'vital-signs' }] }, { coding: [{ code: 'vital-signs' }] }] },
      registry,
    );
    expect(values(twice, 'category')).toHaveLength(1);
  });
});

describe('extractIndexEntries: canonical references', () => {
  it('strips the version of a canonical', () => {
    const plan: CarePlan = {
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      subject: { reference: 'Patient/p1' },
      instantiatesCanonical: ['http://example.org/PlanDefinition/htn|2.0'],
    };
    expect(values(extractIndexEntries(plan, registry), 'instantiates-canonical')).toEqual([
      { kind: 'reference', targetType: null, targetId: null, url: 'http://example.org/PlanDefinition/htn' },
    ]);
  });
});
