import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { assertValidPrefix, decodeSegment, encodeSegment, isReservedName, keyToRelativePath } from './key.ts';

describe('keyToRelativePath', () => {
  it('keeps UID keys as they are', () => {
    expect(keyToRelativePath('studies/1.2.840.10008/4.5.6')).toBe('studies/1.2.840.10008/4.5.6');
    expect(keyToRelativePath('a_b-c.d')).toBe('a_b-c.d');
  });

  it('encodes everything outside [A-Za-z0-9._-], reversibly', () => {
    for (const segment of ['中文 x', '~tmp', 'a%b', 'back\\slash', 'x:y', "it's", '..a']) {
      const name = encodeSegment(segment);
      expect(name).toMatch(/^[A-Za-z0-9._%-]+$/);
      expect(isReservedName(name)).toBe(false);
      expect(decodeSegment(name)).toBe(segment);
    }
    expect(encodeSegment('~tmp')).toBe('%7Etmp');
  });

  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['a/../../etc', 'segment ".."'],
    ['..', 'segment ".."'],
    ['./a', 'segment "."'],
    ['a//b', 'empty segment'],
    ['a/', 'empty segment'],
    ['a\0b', 'NUL'],
    ['x'.repeat(1025), 'longer than 1024 bytes'],
  ])('rejects %j (%s) with AppError(invalid)', (key, problem) => {
    const err = (() => {
      try {
        keyToRelativePath(key);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid');
    expect((err as AppError).message).toContain(problem);
  });
});

describe('assertValidPrefix', () => {
  it('accepts empty, trailing-slash and mid-segment prefixes', () => {
    expect(assertValidPrefix('')).toBe('');
    expect(assertValidPrefix('studies/')).toBe('studies/');
    expect(assertValidPrefix('studies/1.2')).toBe('studies/1.2');
  });

  it('rejects traversal and absolute prefixes', () => {
    expect(() => assertValidPrefix('../')).toThrow(AppError);
    expect(() => assertValidPrefix('/studies/')).toThrow(AppError);
    expect(() => assertValidPrefix('a//')).toThrow(AppError);
  });
});
