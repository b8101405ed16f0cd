import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { createValidator, type Validator } from './validator.ts';

// Building the validator indexes every R4 definition (~1 s); it is immutable, so one per file is safe.
let validator: Validator;
beforeAll(() => {
  validator = createValidator();
});

function errors(resource: unknown): OperationOutcomeIssue[] {
  return validator.validate(resource).filter((i) => i.severity === 'error' || i.severity === 'fatal');
}

function errorPaths(resource: unknown): string[] {
  return errors(resource).flatMap((i) => i.expression ?? []);
}

const heartRate = {
  resourceType: 'Observation',
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
  subject: { reference: 'Patient/1' },
  effectiveDateTime: '2024-01-01T10:00:00+08:00',
  valueQuantity: { value: 70, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
};

describe('createValidator', () => {
  it('accepts a valid Patient', () => {
    const patient = {
      resourceType: 'Patient',
      name: [{ use: 'official', family: '王', given: ['小明'] }],
      gender: 'male',
      birthDate: '1980-02-29',
      telecom: [{ system: 'phone', value: '13800000000', use: 'mobile' }],
    };
    expect(errors(patient)).toEqual([]);
    expect(() => validator.assertValid(patient)).not.toThrow();
  });

  it('accepts a valid Observation with a LOINC coding', () => {
    expect(errors(heartRate)).toEqual([]);
  });

  it('rejects gender "fem" against the required administrative-gender binding', () => {
    const issues = errors({ resourceType: 'Patient', gender: 'fem' });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe('code-invalid');
    expect(issues[0]?.expression).toEqual(['Patient.gender']);
  });

  it('rejects nested required bindings in backbone elements and datatypes', () => {
    const patient = {
      resourceType: 'Patient',
      name: [{ use: 'official' }, { use: 'nick', family: 'x' }],
      contact: [{ name: { family: 'y' }, gender: 'x' }],
      telecom: [{ system: 'wechat', value: 'abc' }],
    };
    expect(errorPaths(patient).sort()).toEqual([
      'Patient.contact[0].gender',
      'Patient.name[1].use',
      'Patient.telecom[0].system',
    ]);
  });

  it('rejects bad codes in Bundle entries and contained resources', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { ...heartRate, status: 'done' } }],
    };
    expect(errorPaths(bundle)).toEqual(['Bundle.entry[0].resource.status']);
    expect(errorPaths({ ...bundle, type: 'pile' })).toContain('Bundle.type');
    const withContained = { resourceType: 'Patient', contained: [{ resourceType: 'Patient', gender: 'f' }] };
    expect(errorPaths(withContained)).toEqual(['Patient.contained[0].gender']);
  });

  it('checks CodeableConcepts against required bindings, accepting text-only concepts', () => {
    const clinical = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
    const condition = (clinicalStatus: unknown) => ({
      resourceType: 'Condition',
      subject: { reference: 'Patient/1' },
      clinicalStatus,
    });
    expect(errors(condition({ coding: [{ system: clinical, code: 'active' }] }))).toEqual([]);
    expect(
      errors(
        condition({
          coding: [
            { system: 'urn:local', code: 'x' },
            { system: clinical, code: 'active' },
          ],
        }),
      ),
    ).toEqual([]);
    expect(errors(condition({ text: 'active' }))).toEqual([]);
    expect(errorPaths(condition({ coding: [{ system: clinical, code: 'dormant' }] }))).toEqual([
      'Condition.clinicalStatus',
    ]);
    expect(errorPaths(condition({ coding: [{ system: 'urn:local', code: 'active' }] }))).toEqual([
      'Condition.clinicalStatus',
    ]);
  });

  it('rejects choice-type conflicts at any depth as errors', () => {
    const obs = {
      ...heartRate,
      valueString: 'seventy',
      component: [{ code: { text: 'c' }, valueString: 'a', valueBoolean: true }],
    };
    const issues = errors(obs);
    expect(issues.map((i) => i.expression?.[0]).sort()).toEqual([
      'Observation.component[0].value',
      'Observation.value',
    ]);
    expect(issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it('rejects unknown, abstract or missing resourceType and non-objects', () => {
    expect(errors({ resourceType: 'Foo' })).toHaveLength(1);
    expect(errors({ resourceType: 'DomainResource' })).toHaveLength(1);
    expect(errors({ gender: 'male' })).toHaveLength(1);
    expect(errors('Patient')).toHaveLength(1);
    expect(errors([{ resourceType: 'Patient' }])).toHaveLength(1);
  });

  it('reports Medplum structural errors with FHIRPath expressions', () => {
    expect(errorPaths({ resourceType: 'Patient', birthDate: 'yesterday' })).toEqual(['Patient.birthDate']);
  });

  it('accepts line-wrapped base64Binary as R4 allows, but still rejects non-base64', () => {
    expect(
      errors({ resourceType: 'Binary', contentType: 'text/plain', data: 'aGVs\nbG8g d29y\r\nbGQ=' }),
    ).toEqual([]);
    expect(errorPaths({ resourceType: 'Binary', contentType: 'text/plain', data: 'not base64!' })).toEqual([
      'Binary.data',
    ]);
  });

  it('assertValid throws AppError("invalid") carrying the issues', () => {
    let caught: unknown;
    try {
      validator.assertValid({ resourceType: 'Patient', gender: 'fem' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    const appError = caught as AppError;
    expect(appError.code).toBe('invalid');
    expect(appError.status).toBe(400);
    expect(appError.issues[0]?.expression).toEqual(['Patient.gender']);
  });

  it('lists required value sets it cannot expand (external code systems) and still checks the rest', () => {
    const skipped = validator.unexpandableValueSets();
    expect(skipped.some((url) => url.startsWith('http://hl7.org/fhir/ValueSet/mimetypes'))).toBe(true);
    expect(skipped.some((url) => url.startsWith('http://hl7.org/fhir/ValueSet/administrative-gender'))).toBe(
      false,
    );
    // Attachment.contentType is bound to MIME types (BCP-13): not expandable, so not checked.
    expect(errors({ resourceType: 'Binary', contentType: 'application/x-anything' })).toEqual([]);
  });
});
