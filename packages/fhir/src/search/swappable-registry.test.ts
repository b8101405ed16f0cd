import type { SearchParameter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createSearchParamRegistry } from './registry.ts';
import { createSwappableRegistry } from './swappable-registry.ts';

const custom: SearchParameter = {
  resourceType: 'SearchParameter',
  url: 'http://yiyun.example/SearchParameter/patient-nickname',
  name: 'nickname',
  status: 'active',
  description: 'Nickname',
  code: 'nickname',
  base: ['Patient'],
  type: 'string',
  expression: "Patient.name.where(use = 'nickname').given",
};

describe('createSwappableRegistry', () => {
  it('answers from the registry it was last given', () => {
    const registry = createSwappableRegistry(createSearchParamRegistry());
    expect(registry.get('Patient', 'nickname')).toBeUndefined();
    registry.replace(createSearchParamRegistry([custom]));
    expect(registry.get('Patient', 'nickname')?.type).toBe('string');
    expect(registry.generation).toBe(1);
    expect(registry.get('Patient', 'birthdate')?.type).toBe('date');
  });
});
