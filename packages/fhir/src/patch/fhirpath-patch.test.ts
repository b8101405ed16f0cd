import type { Observation, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { applyFhirPathPatch } from './fhirpath-patch.ts';

type Part = Record<string, unknown>;

function op(type: string, path: string, ...rest: Part[]): Part {
  return {
    name: 'operation',
    part: [{ name: 'type', valueCode: type }, { name: 'path', valueString: path }, ...rest],
  };
}

function patch(...operations: Part[]): Part {
  return { resourceType: 'Parameters', parameter: operations };
}

const patient = (): Patient =>
  ({
    resourceType: 'Patient',
    id: 'p1',
    identifier: [
      { system: 'urn:a', value: '1' },
      { system: 'urn:b', value: '2' },
    ],
    name: [{ use: 'official', family: '王', given: ['小明', '明'], _given: [null, { id: 'g2' }] }],
    deceasedBoolean: false,
  }) as unknown as Patient;

/** The `_given` sibling array (extensions on the given names). */
function givenExtensions(p: Patient): unknown {
  return (p.name?.[0] as Record<string, unknown> | undefined)?._given;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : `not AppError: ${String(err)}`;
  }
  return undefined;
}

describe('applyFhirPathPatch', () => {
  it('add: a single element, a list item, a choice element and an anonymous backbone element from parts', () => {
    const out = applyFhirPathPatch(
      patient(),
      patch(
        op('add', 'Patient', { name: 'name', valueString: 'gender' }, { name: 'value', valueCode: 'male' }),
        op(
          'add',
          "Patient.name.where(use='official')",
          { name: 'name', valueString: 'given' },
          { name: 'value', valueString: '阿' },
        ),
        op(
          'add',
          'Patient',
          { name: 'name', valueString: 'multipleBirth' },
          { name: 'value', valueInteger: 2 },
        ),
        op(
          'add',
          'Patient',
          { name: 'name', valueString: 'contact' },
          {
            name: 'value',
            part: [
              { name: 'name', valueHumanName: { family: '李' } },
              { name: 'relationship', valueCodeableConcept: { text: '妻' } },
            ],
          },
        ),
      ),
    ) as Patient;
    expect(out.gender).toBe('male');
    expect(out.name?.[0]?.given).toEqual(['小明', '明', '阿']);
    expect(givenExtensions(out)).toEqual([null, { id: 'g2' }, null]);
    expect(out.multipleBirthInteger).toBe(2);
    expect(out.contact).toEqual([{ name: { family: '李' }, relationship: [{ text: '妻' }] }]);
  });

  it('insert: at an index, and into an absent list', () => {
    const out = applyFhirPathPatch(
      patient(),
      patch(
        op(
          'insert',
          'Patient.identifier',
          { name: 'value', valueIdentifier: { system: 'urn:z', value: '0' } },
          { name: 'index', valueInteger: 1 },
        ),
        op(
          'insert',
          'Patient.telecom',
          { name: 'value', valueContactPoint: { system: 'phone', value: '1' } },
          { name: 'index', valueInteger: 0 },
        ),
      ),
    ) as Patient;
    expect(out.identifier?.map((i) => i.system)).toEqual(['urn:a', 'urn:z', 'urn:b']);
    expect(out.telecom).toEqual([{ system: 'phone', value: '1' }]);
  });

  it('delete: an item of a list with its extensions, a single element, and nothing at all', () => {
    const out = applyFhirPathPatch(
      patient(),
      patch(
        op('delete', 'Patient.name.given[1]'),
        op('delete', "Patient.identifier.where(system='urn:a')"),
        op('delete', 'Patient.deceased'),
        op('delete', 'Patient.birthDate'),
      ),
    ) as Patient;
    expect(out.name?.[0]?.given).toEqual(['小明']);
    expect(givenExtensions(out)).toEqual([null]);
    expect(out.identifier).toEqual([{ system: 'urn:b', value: '2' }]);
    expect(out.deceasedBoolean).toBeUndefined();
  });

  it('replace: a primitive, a complex value, and a choice element changing type', () => {
    const out = applyFhirPathPatch(
      patient(),
      patch(
        op('replace', 'Patient.name.family', { name: 'value', valueString: '汪' }),
        op('replace', "Patient.identifier.where(system='urn:b')", {
          name: 'value',
          valueIdentifier: { system: 'urn:c', value: '3' },
        }),
        op('replace', 'Patient.deceased', { name: 'value', valueDateTime: '2024-01-01' }),
      ),
    ) as Patient;
    expect(out.name?.[0]?.family).toBe('汪');
    expect(out.identifier?.[1]).toEqual({ system: 'urn:c', value: '3' });
    expect(out.deceasedBoolean).toBeUndefined();
    expect(out.deceasedDateTime).toBe('2024-01-01');
  });

  it('replace works on Observation.value[x] inside backbone elements', () => {
    const obs: Observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'bp' },
      component: [{ code: { text: 'sys' }, valueQuantity: { value: 120 } }],
    };
    const out = applyFhirPathPatch(
      obs,
      patch(op('replace', 'Observation.component[0].value.value', { name: 'value', valueDecimal: 130 })),
    );
    expect((out as Observation).component?.[0]?.valueQuantity?.value).toBe(130);
    expect(obs.component?.[0]?.valueQuantity?.value).toBe(120);
  });

  it('move: reorders a list (and its primitive extensions)', () => {
    const out = applyFhirPathPatch(
      patient(),
      patch(
        op(
          'move',
          'Patient.identifier',
          { name: 'source', valueInteger: 0 },
          { name: 'destination', valueInteger: 1 },
        ),
        op(
          'move',
          'Patient.name.given',
          { name: 'source', valueInteger: 1 },
          { name: 'destination', valueInteger: 0 },
        ),
      ),
    ) as Patient;
    expect(out.identifier?.map((i) => i.value)).toEqual(['2', '1']);
    expect(out.name?.[0]?.given).toEqual(['明', '小明']);
    expect(givenExtensions(out)).toEqual([{ id: 'g2' }, null]);
  });

  it('never mutates the input', () => {
    const input = patient();
    const snapshot = structuredClone(input);
    applyFhirPathPatch(
      input,
      patch(
        op('delete', 'Patient.identifier[0]'),
        op('replace', 'Patient.id', { name: 'value', valueId: 'x' }),
      ),
    );
    expect(input).toEqual(snapshot);
  });

  it('rejects malformed parameters and paths as invalid', () => {
    const bad: unknown[] = [
      { resourceType: 'Patient' },
      patch(),
      patch({ name: 'op', part: [] }),
      patch(op('explode', 'Patient')),
      patch({ name: 'operation', part: [{ name: 'type', valueCode: 'delete' }] }),
      patch(op('replace', 'Patient.gender')),
      patch(op('insert', 'Patient.identifier', { name: 'value', valueString: 'x' })),
      patch(op('move', 'Patient.identifier', { name: 'source', valueInteger: 0 })),
      patch(op('add', 'Patient', { name: 'value', valueCode: 'male' })),
      patch(op('delete', 'Patient.name.(((')),
      patch(
        op('add', 'Patient', { name: 'name', valueString: 'nonsense' }, { name: 'value', valueString: 'x' }),
      ),
      patch(
        op(
          'insert',
          'Patient.gender',
          { name: 'value', valueCode: 'male' },
          { name: 'index', valueInteger: 0 },
        ),
      ),
      patch(op('replace', 'Patient', { name: 'value', valueString: 'x' })),
    ];
    for (const p of bad)
      expect(
        codeOf(() => applyFhirPathPatch(patient(), p)),
        JSON.stringify(p),
      ).toBe('invalid');
  });

  it('rejects ambiguous or missing targets and out-of-range indexes as unprocessable', () => {
    const bad: unknown[] = [
      patch(op('replace', 'Patient.identifier', { name: 'value', valueIdentifier: {} })),
      patch(op('delete', 'Patient.name.given')),
      patch(op('replace', 'Patient.birthDate', { name: 'value', valueDate: '2000-01-01' })),
      patch(
        op(
          'add',
          'Patient.identifier',
          { name: 'name', valueString: 'use' },
          { name: 'value', valueCode: 'old' },
        ),
      ),
      patch(
        op(
          'add',
          'Patient',
          { name: 'name', valueString: 'deceased' },
          { name: 'value', valueBoolean: true },
        ),
      ),
      patch(
        op(
          'insert',
          'Patient.identifier',
          { name: 'value', valueIdentifier: {} },
          { name: 'index', valueInteger: 5 },
        ),
      ),
      patch(
        op(
          'move',
          'Patient.identifier',
          { name: 'source', valueInteger: 0 },
          { name: 'destination', valueInteger: 2 },
        ),
      ),
    ];
    for (const p of bad)
      expect(
        codeOf(() => applyFhirPathPatch(patient(), p)),
        JSON.stringify(p),
      ).toBe('unprocessable');
  });
});
