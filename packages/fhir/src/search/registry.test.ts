import type { SearchParameter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { createSearchParamRegistry, validateCustomSearchParameter } from './registry.ts';

const registry = createSearchParamRegistry();

describe('createSearchParamRegistry', () => {
  it('registers shared definitions per base type with the expression narrowed to that type', () => {
    const birth = registry.get('Patient', 'birthdate');
    expect(birth).toMatchObject({ type: 'date', resourceType: 'Patient', expression: 'Patient.birthDate' });
    expect(registry.get('Person', 'birthdate')?.expression).toBe('Person.birthDate');
    expect(registry.get('Observation', 'patient')?.expression).toBe(
      'Observation.subject.where(resolve() is Patient)',
    );
  });
  it('includes base parameters; _id/_lastUpdated have no expression, specials are not registered', () => {
    expect(registry.get('Patient', '_tag')).toMatchObject({ type: 'token', expression: 'Resource.meta.tag' });
    expect(registry.get('Patient', '_profile')?.type).toBe('uri');
    expect(registry.get('Patient', '_id')).toMatchObject({ type: 'token' });
    expect(registry.get('Patient', '_id')?.expression).toBeUndefined();
    expect(registry.get('Patient', '_lastUpdated')?.expression).toBeUndefined();
    expect(registry.get('Patient', '_text')).toBeUndefined();
    expect(registry.forType('Patient').some((d) => d.code === '_security')).toBe(true);
  });
  it('resolves composite components', () => {
    const c = registry.get('Observation', 'component-code-value-quantity');
    expect(c?.components?.map((x) => [x.param.code, x.expression])).toEqual([
      ['component-code', 'code'],
      ['component-value-quantity', 'value.ofType(Quantity)'],
    ]);
  });
  it('knows targets and all R4 resource types', () => {
    expect(registry.get('Observation', 'subject')?.target).toContain('Patient');
    expect(registry.resourceTypes()).toContain('ImagingStudy');
    expect(registry.resourceTypes()).not.toContain('Project');
    expect(registry.get('NoSuchType', 'name')).toBeUndefined();
    expect(registry.forType('NoSuchType')).toEqual([]);
  });
  it('builds in well under 300 ms', () => {
    const t = performance.now();
    createSearchParamRegistry();
    expect(performance.now() - t).toBeLessThan(300);
  });
});

const custom: SearchParameter = {
  resourceType: 'SearchParameter',
  url: 'https://yiyun.example/SearchParameter/patient-ethnicity',
  status: 'active',
  code: 'ethnicity',
  base: ['Patient'],
  type: 'token',
  expression: "Patient.extension.where(url='https://yiyun.example/ethnicity').value",
  name: 'ethnicity',
  description: '民族',
};

describe('custom search parameters', () => {
  it('are added on top of the standard ones and can override them', () => {
    const r = createSearchParamRegistry([
      custom,
      { ...custom, code: 'gender', expression: 'Patient.gender' },
    ]);
    expect(r.get('Patient', 'ethnicity')).toMatchObject({ isCustom: true, type: 'token' });
    expect(r.get('Patient', 'gender')?.isCustom).toBe(true);
    expect(registry.get('Patient', 'ethnicity')).toBeUndefined();
  });
  it('skips retired ones', () => {
    expect(
      createSearchParamRegistry([{ ...custom, status: 'retired' }]).get('Patient', 'ethnicity'),
    ).toBeUndefined();
  });
  it('rejects invalid ones with AppError(invalid)', () => {
    const { expression: _e, ...noExpr } = custom;
    expect(() => validateCustomSearchParameter(noExpr)).toThrow(AppError);
    expect(() => validateCustomSearchParameter({ ...custom, type: 'bogus' as 'token' })).toThrow(
      /unsupported type/,
    );
    expect(() => validateCustomSearchParameter({ ...custom, expression: 'Patient.name.where(' })).toThrow(
      /FHIRPath/,
    );
    expect(() => createSearchParamRegistry([{ ...custom, base: [] }])).toThrow(/missing base/);
  });
});
