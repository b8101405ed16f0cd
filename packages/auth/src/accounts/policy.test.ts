import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { assertPasswordPolicy, assertValidUsername, canonicalUsername, usernameKey } from './policy.ts';

function policyError(password: string, username?: string): string | undefined {
  try {
    assertPasswordPolicy(password, username);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid');
    expect((err as AppError).message).not.toContain(password);
    return (err as AppError).message;
  }
}

describe('assertPasswordPolicy', () => {
  it('accepts ten or more characters of at least two kinds', () => {
    for (const ok of ['abcdefghi1', 'Abcdefghij', 'correct horse battery', '医云平台密码abc1', 'ABCDEFGH-1'])
      expect(policyError(ok), ok).toBeUndefined();
  });

  it('refuses short passwords, counting characters rather than UTF-16 units', () => {
    expect(policyError('Abc123xyz')).toMatch(/at least 10/);
    expect(policyError('密码密码密码密码a1')).toBeUndefined();
    expect('😀😀😀😀😀a1'.length).toBe(12);
    expect(policyError('😀😀😀😀😀a1')).toMatch(/at least 10/); // 12 UTF-16 units but 7 characters
  });

  it('refuses passwords of a single character class', () => {
    for (const one of [
      'abcdefghijkl',
      'ABCDEFGHIJKL',
      '123456789012',
      '!@#$%^&*()_+',
      '医云医云医云医云医云',
    ])
      expect(policyError(one), one).toMatch(/two kinds/);
  });

  it('refuses an overlong password and the username itself', () => {
    expect(policyError(`a1${'x'.repeat(300)}`)).toMatch(/at most 256/);
    expect(policyError('Doctor.Wang1', 'doctor.wang1')).toMatch(/username/);
    expect(policyError('Doctor.Wang1', 'doctor.wang')).toBeUndefined();
  });
});

describe('usernames', () => {
  it('share one key across case and full-width forms', () => {
    expect(usernameKey('Doctor')).toBe('doctor');
    expect(usernameKey(' ＤＯＣＴＯＲ ')).toBe('doctor');
    expect(canonicalUsername(' ｄｏｃｔｏｒ ')).toBe('doctor');
    expect(usernameKey('张伟')).toBe('张伟');
    expect(usernameKey('family-doctor')).toBe('family-doctor');
  });

  it('has no key for strings that cannot be usernames', () => {
    for (const bad of ['', '   ', '-lead', 'a b', "x'; drop", 'a'.repeat(65)])
      expect(usernameKey(bad), bad).toBeUndefined();
    expect(() => assertValidUsername('a b')).toThrow(AppError);
  });
});
