import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  expressionForType,
  parseSimplePath,
  referencedType,
  splitUnion,
} from './expression.ts';
import { createTypeModel } from './type-model.ts';

const model = createTypeModel();

describe('expressionForType', () => {
  it('keeps only the branches of a shared expression that apply to the type', () => {
    expect(
      expressionForType('Patient.birthDate | Person.birthDate | RelatedPerson.birthDate', 'Person'),
    ).toBe('Person.birthDate');
    expect(expressionForType('(Observation.value.ofType(Quantity)) | Foo.x', 'Observation')).toBe(
      '(Observation.value.ofType(Quantity))',
    );
    expect(expressionForType('Resource.meta.tag', 'Patient')).toBe('Resource.meta.tag');
    expect(expressionForType('Patient.name', 'Observation')).toBeUndefined();
  });
  it('does not split inside parentheses or quotes', () => {
    expect(splitUnion("a.where(x='a|b') | (c | d).e")).toEqual(["a.where(x='a|b')", '(c | d).e']);
  });
});

describe('parseSimplePath', () => {
  it('understands ofType, where(resolve() is T), where(field=literal) and the R4 "as" form', () => {
    expect(parseSimplePath('Account.subject.where(resolve() is Patient)')).toEqual([
      { op: 'prop', name: 'Account' },
      { op: 'prop', name: 'subject' },
      { op: 'resolveIs', type: 'Patient' },
    ]);
    expect(parseSimplePath('(Observation.value as Quantity)')?.at(-1)).toEqual({
      op: 'ofType',
      type: 'Quantity',
    });
    expect(parseSimplePath("X.telecom.where(system='email')")?.at(-1)).toEqual({
      op: 'whereEq',
      field: 'system',
      literal: 'email',
    });
    expect(parseSimplePath('Patient.deceased.exists() and Patient.deceased != false')).toBeUndefined();
  });
});

describe('compileExpression', () => {
  const obs = {
    resourceType: 'Observation',
    subject: { reference: 'Patient/1' },
    valueQuantity: { value: 5 },
    component: [{ valueString: 'x' }, { valueQuantity: { value: 7 } }],
  };
  it('walks choice elements with their FHIR types', () => {
    const e = compileExpression(model, 'Observation.component.value.ofType(Quantity)');
    expect(e({ value: obs, type: 'Observation' })).toEqual([{ value: { value: 7 }, type: 'Quantity' }]);
  });
  it('filters references by resolved type', () => {
    const e = compileExpression(model, 'Observation.subject.where(resolve() is Patient)');
    expect(e({ value: obs, type: 'Observation' })).toHaveLength(1);
    const g = compileExpression(model, 'Observation.subject.where(resolve() is Group)');
    expect(g({ value: obs, type: 'Observation' })).toHaveLength(0);
  });
  it('falls back to the full FHIRPath engine for other expressions', () => {
    const e = compileExpression(model, 'Patient.deceased.exists() and Patient.deceased != false');
    expect(e({ value: { resourceType: 'Patient', deceasedBoolean: true }, type: 'Patient' })[0]?.value).toBe(
      true,
    );
  });
  it('reads the type of absolute and typed references', () => {
    expect(referencedType({ reference: 'https://x.org/fhir/Patient/7/_history/2' })).toBe('Patient');
    expect(referencedType({ type: 'Group', identifier: { value: '1' } })).toBe('Group');
    expect(referencedType({ reference: 'urn:uuid:0f4c' })).toBeUndefined();
  });
});
