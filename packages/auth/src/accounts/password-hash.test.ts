import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './password-hash.ts';

describe('argon2id password hashes', () => {
  it('verify the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse 1');
    const b = await hashPassword('correct horse 1');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=3,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'correct horse 1')).toBe(true);
    expect(await verifyPassword(a, 'correct horse 2')).toBe(false);
    expect(await verifyPassword('not a hash', 'correct horse 1')).toBe(false);
  });

  it('ask for a rehash of hashes made with weaker parameters', async () => {
    expect(needsRehash(await hashPassword('x'))).toBe(false);
    expect(needsRehash(await hash('x', { memoryCost: 4096, timeCost: 1 }))).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
  });

  it('make a dummy hash that no guess matches', async () => {
    const dummy = await dummyPasswordHash();
    expect(needsRehash(dummy)).toBe(false);
    expect(await verifyPassword(dummy, '')).toBe(false);
  });
});
