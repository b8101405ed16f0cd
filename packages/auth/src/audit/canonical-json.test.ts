import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' }, e: undefined })).toBe(
      '{"a":{"c":"x","d":[true,null]},"b":1}',
    );
  });

  it('gives the same bytes for a value whatever its key order (as jsonb returns it)', () => {
    const original = {
      resourceType: 'AuditEvent',
      recorded: '2024-01-01T00:00:00.000Z',
      agent: [{ requestor: true }],
    };
    const reordered = JSON.parse(
      '{"agent":[{"requestor":true}],"recorded":"2024-01-01T00:00:00.000Z","resourceType":"AuditEvent"}',
    );
    expect(canonicalJson(reordered)).toBe(canonicalJson(original));
  });

  it('orders keys by UTF-16 code units and escapes strings as JSON', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, '\n': '"医"' })).toBe('{"\\n":"\\"医\\"","A":3,"z":2,"é":1}');
  });

  it('refuses values without a JSON form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
  });
});
