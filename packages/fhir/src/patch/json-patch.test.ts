import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { applyJsonPatch } from './json-patch.ts';

const patient = (): Patient => ({
  resourceType: 'Patient',
  id: 'p1',
  active: true,
  name: [{ family: '王', given: ['小明', '明'] }],
  telecom: [{ system: 'phone', value: '1' }],
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : `not AppError: ${String(err)}`;
  }
  return undefined;
}

describe('applyJsonPatch', () => {
  it('add: sets a member, inserts into an array, appends with "-"', () => {
    const out = applyJsonPatch(patient(), [
      { op: 'add', path: '/gender', value: 'male' },
      { op: 'add', path: '/name/0/given/0', value: '大' },
      { op: 'add', path: '/telecom/-', value: { system: 'email', value: 'a@b.cn' } },
    ]) as Patient;
    expect(out.gender).toBe('male');
    expect(out.name?.[0]?.given).toEqual(['大', '小明', '明']);
    expect(out.telecom?.[1]?.system).toBe('email');
  });

  it('remove and replace', () => {
    const out = applyJsonPatch(patient(), [
      { op: 'remove', path: '/name/0/given/1' },
      { op: 'replace', path: '/active', value: false },
    ]) as Patient;
    expect(out.name?.[0]?.given).toEqual(['小明']);
    expect(out.active).toBe(false);
  });

  it('move and copy', () => {
    const out = applyJsonPatch(patient(), [
      { op: 'copy', from: '/name/0', path: '/name/-' },
      { op: 'move', from: '/telecom/0/value', path: '/telecom/0/id' },
    ]) as Patient;
    expect(out.name).toHaveLength(2);
    expect(out.name?.[1]).toEqual(out.name?.[0]);
    expect(out.name?.[1]).not.toBe(out.name?.[0]);
    expect(out.telecom?.[0]).toEqual({ system: 'phone', id: '1' });
  });

  it('test: passes on deep equality regardless of key order, fails with unprocessable', () => {
    const ok = [
      { op: 'test', path: '/name/0', value: { given: ['小明', '明'], family: '王' } },
      { op: 'remove', path: '/active' },
    ];
    expect((applyJsonPatch(patient(), ok) as Patient).active).toBeUndefined();
    expect(codeOf(() => applyJsonPatch(patient(), [{ op: 'test', path: '/active', value: false }]))).toBe(
      'unprocessable',
    );
  });

  it('handles ~0 and ~1 escapes', () => {
    const out = applyJsonPatch(patient(), [{ op: 'add', path: '/a~1b~0c', value: 1 }]) as unknown as Record<
      string,
      unknown
    >;
    expect(out['a/b~c']).toBe(1);
  });

  it('never mutates the input, even when a later operation fails', () => {
    const input = patient();
    const snapshot = structuredClone(input);
    applyJsonPatch(input, [{ op: 'remove', path: '/name' }]);
    expect(
      codeOf(() =>
        applyJsonPatch(input, [
          { op: 'remove', path: '/active' },
          { op: 'test', path: '/id', value: 'x' },
        ]),
      ),
    ).toBe('unprocessable');
    expect(input).toEqual(snapshot);
  });

  it('rejects malformed documents as invalid', () => {
    const bad: unknown[] = [
      { op: 'add', path: '/x', value: 1 },
      [{ op: 'delete', path: '/x' }],
      [{ op: 'add', path: 'x', value: 1 }],
      [{ op: 'add', path: '/x' }],
      [{ op: 'move', path: '/x' }],
      [{ op: 'remove', path: '/a~2' }],
      [{ op: 'add', path: '/name/01', value: {} }],
      [{ op: 'add', path: '/__proto__', value: { polluted: true } }],
      ['remove'],
    ];
    for (const ops of bad)
      expect(
        codeOf(() => applyJsonPatch(patient(), ops)),
        JSON.stringify(ops),
      ).toBe('invalid');
  });

  it('rejects targets missing from this resource as unprocessable', () => {
    const bad: unknown[] = [
      [{ op: 'remove', path: '/gender' }],
      [{ op: 'replace', path: '/name/5', value: {} }],
      [{ op: 'add', path: '/name/5', value: {} }],
      [{ op: 'add', path: '/contact/0/name', value: {} }],
      [{ op: 'move', from: '/name', path: '/name/0/x' }],
      [{ op: 'remove', path: '' }],
    ];
    for (const ops of bad)
      expect(
        codeOf(() => applyJsonPatch(patient(), ops)),
        JSON.stringify(ops),
      ).toBe('unprocessable');
  });
});
