import { randomBytes } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { deriveSecretKey, openSecret, sealSecret } from './secret-box.ts';

const key = new Uint8Array(randomBytes(32));

describe('sealSecret / openSecret (AES-256-GCM)', () => {
  it('round-trips, with a fresh IV each time and nothing of the plaintext visible', () => {
    const a = sealSecret(key, 'JBSWY3DPEHPK3PXP', 'totp:acct-1');
    const b = sealSecret(key, 'JBSWY3DPEHPK3PXP', 'totp:acct-1');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain('JBSWY3DP');
    expect(openSecret(key, a, 'totp:acct-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(openSecret(key, b, 'totp:acct-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another key, another context and any changed byte', () => {
    const sealed = sealSecret(key, 'secret', 'totp:acct-1');
    expect(() => openSecret(new Uint8Array(randomBytes(32)), sealed, 'totp:acct-1')).toThrow(AppError);
    expect(() => openSecret(key, sealed, 'totp:acct-2')).toThrow(/failed authentication/);
    const [v, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() =>
      openSecret(key, [v, iv, flipped.toString('base64url'), tag].join('.'), 'totp:acct-1'),
    ).toThrow(/failed authentication/);
    expect(() => openSecret(key, 'v2.a.b.c', 'totp:acct-1')).toThrow(/Unreadable/);
  });

  it('insists on a 32-byte key', () => {
    expect(() => sealSecret(new Uint8Array(16), 'x', 'c')).toThrow(/32 bytes/);
  });
});

describe('deriveSecretKey', () => {
  it('derives stable, purpose-separated 32-byte keys', () => {
    const master = 'a long installation secret';
    const totp = deriveSecretKey(master, 'yiyun/accounts/totp');
    expect(totp).toHaveLength(32);
    expect(deriveSecretKey(master, 'yiyun/accounts/totp')).toEqual(totp);
    expect(deriveSecretKey(master, 'yiyun/other')).not.toEqual(totp);
    expect(() => deriveSecretKey('short', 'p')).toThrow(AppError);
  });
});
