import type { CodeSystem, ValueSet } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createTerminology } from './terminology.ts';

const colours: CodeSystem = {
  resourceType: 'CodeSystem',
  url: 'urn:cs:colour',
  status: 'active',
  content: 'complete',
  concept: [
    { code: 'warm', concept: [{ code: 'red' }, { code: 'orange' }] },
    { code: 'cold', concept: [{ code: 'blue' }] },
  ],
};

const vs = (url: string, compose: ValueSet['compose']): ValueSet => ({
  resourceType: 'ValueSet',
  url,
  status: 'active',
  compose,
});

const terminology = createTerminology([
  colours,
  {
    resourceType: 'CodeSystem',
    url: 'urn:cs:partial',
    status: 'active',
    content: 'fragment',
    concept: [{ code: 'a' }],
  },
  vs('urn:vs:all', {
    include: [{ system: 'urn:cs:colour' }],
    exclude: [{ system: 'urn:cs:colour', concept: [{ code: 'cold' }] }],
  }),
  vs('urn:vs:warm', {
    include: [{ system: 'urn:cs:colour', filter: [{ property: 'concept', op: 'is-a', value: 'warm' }] }],
  }),
  vs('urn:vs:import', {
    include: [{ valueSet: ['urn:vs:warm|1.0'] }, { system: 'urn:other', concept: [{ code: 'x' }] }],
  }),
  vs('urn:vs:external', { include: [{ system: 'http://snomed.info/sct' }] }),
  vs('urn:vs:fragment', { include: [{ system: 'urn:cs:partial' }] }),
  vs('urn:vs:loop', { include: [{ valueSet: ['urn:vs:loop'] }] }),
]);

describe('createTerminology', () => {
  it('expands whole code systems, nested concepts included, honouring exclude', () => {
    const all = terminology.expand('urn:vs:all|4.0.1');
    expect([...(all?.codes ?? [])].sort()).toEqual(['blue', 'orange', 'red', 'warm']);
  });

  it('expands is-a filters and valueSet imports', () => {
    expect([...(terminology.expand('urn:vs:warm')?.codes ?? [])].sort()).toEqual(['orange', 'red', 'warm']);
    const imported = terminology.expand('urn:vs:import');
    expect(imported?.bySystem.get('urn:cs:colour')?.has('red')).toBe(true);
    expect(imported?.bySystem.get('urn:other')?.has('x')).toBe(true);
  });

  it('reports value sets it cannot expand instead of guessing', () => {
    expect(terminology.expand('urn:vs:external')).toBeUndefined();
    expect(terminology.expand('urn:vs:fragment')).toBeUndefined();
    expect(terminology.expand('urn:vs:loop')).toBeUndefined();
    expect(terminology.expand('urn:vs:missing')).toBeUndefined();
    expect([...terminology.unexpandable().keys()].sort()).toEqual([
      'urn:vs:external',
      'urn:vs:fragment',
      'urn:vs:loop',
      'urn:vs:missing',
    ]);
  });
});
