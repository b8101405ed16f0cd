import { createSearchParamRegistry } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { paramKey } from './param-key.ts';

describe('paramKey', () => {
  it('gives every R4 search parameter of every type its own key', () => {
    const registry = createSearchParamRegistry();
    const seen = new Map<number, string>();
    for (const type of registry.resourceTypes()) {
      for (const def of registry.forType(type)) {
        const name = `${type}.${def.code}`;
        const key = paramKey(type, def.code);
        expect(seen.get(key) ?? name).toBe(name);
        seen.set(key, name);
      }
    }
    expect(seen.size).toBeGreaterThan(2_000);
  });

  it('is stable across processes (stored keys must never change)', () => {
    expect(paramKey('Patient', 'identifier')).toBe(-456382781);
    expect(paramKey('Observation', 'code')).toBe(-1555152208);
  });
});
