import type { Condition, Consent, Encounter, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { extractIndexEntries } from '../search/extract.ts';
import { createSearchParamRegistry } from '../search/registry.ts';
import { CUSTODIAN_SYSTEM, custodianOf, withCustodian } from './custodian.ts';
import { accessFacts } from './facts.ts';
import { DEFAULT_SENSITIVITY_RULES, labelSensitivity, sensitivityLabels } from './sensitivity.ts';

const registry = createSearchParamRegistry();
const facts = (r: Parameters<typeof extractIndexEntries>[0]) =>
  accessFacts(r, extractIndexEntries(r, registry));
const icd = (code: string) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code }] });

describe('custodian', () => {
  it('prefers the tag, derives from the holding element otherwise, and retags', () => {
    const enc: Encounter = {
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      serviceProvider: { reference: 'Organization/h1' },
    };
    expect(custodianOf(enc)).toBe('h1');
    const tagged = withCustodian(enc, 'h2');
    expect(custodianOf(tagged)).toBe('h2');
    expect(withCustodian(tagged, 'h3').meta?.tag).toEqual([{ system: CUSTODIAN_SYSTEM, code: 'h3' }]);
    expect(custodianOf({ resourceType: 'Observation', status: 'final', code: {} })).toBeUndefined();
  });
});

describe('sensitivity labels', () => {
  it('labels mental-health, HIV and genetic codes and keeps the sender’s labels', () => {
    const depression: Condition = {
      resourceType: 'Condition',
      subject: { reference: 'Patient/p' },
      code: icd('F32.9'),
    };
    expect(sensitivityLabels(labelSensitivity(depression, DEFAULT_SENSITIVITY_RULES))).toEqual(['PSY']);
    const hiv: Condition = { ...depression, code: icd('B20') };
    expect(sensitivityLabels(labelSensitivity(hiv, DEFAULT_SENSITIVITY_RULES))).toEqual(['HIV']);
    const alcohol: Condition = { ...depression, code: icd('F10.2') };
    expect(sensitivityLabels(labelSensitivity(alcohol, DEFAULT_SENSITIVITY_RULES))).toEqual(['ETH', 'PSY']);
    const hypertension: Condition = { ...depression, code: icd('I10') };
    expect(labelSensitivity(hypertension, DEFAULT_SENSITIVITY_RULES)).toBe(hypertension);
    const sent: Condition = {
      ...hypertension,
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'GDIS' }] },
    };
    expect(sensitivityLabels(labelSensitivity(sent, DEFAULT_SENSITIVITY_RULES))).toEqual(['GDIS']);
  });

  it('does not match other code systems or codes just outside a range', () => {
    const other: Condition = {
      resourceType: 'Condition',
      subject: { reference: 'Patient/p' },
      code: {
        coding: [
          { system: 'http://snomed.info/sct', code: 'F32' },
          { system: 'http://hl7.org/fhir/sid/icd-10', code: 'B25.0' },
        ],
      },
    };
    expect(sensitivityLabels(labelSensitivity(other, DEFAULT_SENSITIVITY_RULES))).toEqual([]);
  });
});

describe('accessFacts', () => {
  it('finds the compartment patient, custodian and labels of an observation', () => {
    const obs: Observation = {
      resourceType: 'Observation',
      status: 'final',
      code: {},
      subject: { reference: 'Patient/p1' },
      meta: {
        tag: [{ system: CUSTODIAN_SYSTEM, code: 'h1' }],
        security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HIV' }],
      },
    };
    expect(facts(obs)).toMatchObject({
      custodian: 'h1',
      patientId: 'p1',
      labels: ['HIV'],
      careRelations: [],
    });
  });

  it('makes an encounter a care relationship with its service provider until it ends', () => {
    const enc: Encounter = {
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      subject: { reference: 'Patient/p1' },
      serviceProvider: { reference: 'Organization/h1' },
      period: { start: '2026-01-01T08:00:00Z', end: '2026-01-01T09:00:00Z' },
    };
    expect(facts(enc).careRelations).toEqual([{ organization: 'h1', endsAt: '2026-01-01T09:00:00Z' }]);
    expect(facts({ ...enc, status: 'cancelled' }).careRelations).toEqual([]);
  });

  it('reads opt-out and permitted sensitive categories from an active Consent', () => {
    const consent: Consent = {
      resourceType: 'Consent',
      status: 'active',
      scope: { coding: [{ code: 'patient-privacy' }] },
      category: [{ coding: [{ code: 'INFA' }] }],
      patient: { reference: 'Patient/p1' },
      dateTime: '2026-03-01',
      provision: {
        type: 'permit',
        provision: [{ type: 'permit', securityLabel: [{ system: 'x', code: 'PSY' }] }],
      },
    };
    expect(facts(consent).consent).toEqual({ date: '2026-03-01', share: true, permitLabels: ['PSY'] });
    expect(facts({ ...consent, provision: { type: 'deny' } }).consent?.share).toBe(false);
    expect(facts({ ...consent, status: 'inactive' }).consent).toBeNull();
  });

  it('puts a Patient in its own compartment (the registry, not the content, links persons)', () => {
    const a = facts({ resourceType: 'Patient', id: 'a' });
    expect(a.patientId).toBe('a');
    expect(Object.keys(a)).not.toContain('personKey');
  });
});
