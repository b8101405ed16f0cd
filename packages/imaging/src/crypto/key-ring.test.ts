import { randomBytes } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { createKeyRing, deriveMasterKey, masterKeyOf, parseKeyRing } from './key-ring.ts';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid');
    return (err as AppError).message;
  }
  throw new Error('expected an error');
}

describe('parseKeyRing', () => {
  it('makes the first key current and keeps the others for unwrapping', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const ring = parseKeyRing(` 2025:${a.toString('base64')}, 2024:${b.toString('base64url')} `);
    expect(ring.current.id).toBe('2025');
    expect(ring.current.key.equals(a)).toBe(true);
    expect([...ring.keys.keys()]).toEqual(['2025', '2024']);
    expect(masterKeyOf(ring, '2024').equals(b)).toBe(true);
    expect(() => masterKeyOf(ring, '2023')).toThrow(/not in the key ring/);
  });

  it('names what is wrong without echoing key bytes', () => {
    const short = randomBytes(16).toString('base64');
    expect(message(() => parseKeyRing(''))).toContain('empty');
    expect(message(() => parseKeyRing('nokey'))).toContain('not id:base64');
    expect(message(() => parseKeyRing(':abc'))).toContain('not id:base64');
    expect(message(() => parseKeyRing('k1:not*base64'))).toContain('not base64');
    const tooShort = message(() => parseKeyRing(`k1:${short}`));
    expect(tooShort).toContain('must be 32 bytes');
    expect(tooShort).not.toContain(short);
    const key = randomBytes(32).toString('base64');
    expect(message(() => parseKeyRing(`k1:${key},k1:${key}`))).toContain('appears twice');
    expect(message(() => parseKeyRing(`bad id:${key}`))).toContain('must match');
  });
});

describe('createKeyRing', () => {
  it('freezes the ring', () => {
    const ring = createKeyRing({ id: 'k', key: randomBytes(32) });
    expect(Object.isFrozen(ring)).toBe(true);
    expect(Object.isFrozen(ring.current)).toBe(true);
  });
});

describe('deriveMasterKey', () => {
  it('derives a stable 32-byte key per label (HKDF-SHA256)', () => {
    const platform = randomBytes(32);
    const a = deriveMasterKey(platform, 'imaging');
    expect(a.length).toBe(32);
    expect(deriveMasterKey(platform, 'imaging').equals(a)).toBe(true);
    expect(deriveMasterKey(platform, 'backup').equals(a)).toBe(false);
    expect(deriveMasterKey(randomBytes(32), 'imaging').equals(a)).toBe(false);
    expect(a.equals(platform)).toBe(false);
  });

  it('refuses a short platform key or an empty label', () => {
    expect(message(() => deriveMasterKey(randomBytes(8), 'imaging'))).toContain('at least 16 bytes');
    expect(message(() => deriveMasterKey(randomBytes(32), ''))).toContain('label');
  });
});
