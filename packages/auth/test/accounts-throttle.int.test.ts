/**
 * Lockout and per-address rate limiting of PgAccountStore, state in the database so that every
 * server replica sees it (issue #4, scope 1). The clock is injected: a 15-minute lock is crossed by
 * moving it, not by waiting.
 */
import type { AuthenticationResult } from '@yiyun/auth';
import { describe, expect, it } from 'vitest';
import { accountsFixture, doctor, PASSWORD } from './account-fixture.ts';

const WRONG = 'Wrong-password-1';
const reason = (r: AuthenticationResult) => (r.ok ? 'ok' : r.reason);

describe('lockout after consecutive failures', () => {
  it('locks after five failures for 15 minutes, then lets the right password in', async () => {
    await using f = await accountsFixture();
    await f.accounts.create(doctor());
    const reasons: string[] = [];
    for (let i = 0; i < 5; i++)
      reasons.push(reason(await f.accounts.authenticate({ username: 'doctor', password: WRONG })));
    expect(reasons).toEqual([...Array(4).fill('invalid-credentials'), 'locked']);

    const locked = await f.accounts.authenticate({ username: 'DOCTOR', password: PASSWORD });
    expect(locked).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: 900 });
    f.clock.advance(14 * 60);
    expect(await f.accounts.authenticate({ username: 'doctor', password: PASSWORD })).toEqual({
      ok: false,
      reason: 'locked',
      retryAfterSeconds: 60,
    });
    f.clock.advance(60);
    expect(reason(await f.accounts.authenticate({ username: 'doctor', password: PASSWORD }))).toBe('ok');
  });

  it('gives the full allowance again after a lock expires, and a success resets the count', async () => {
    await using f = await accountsFixture();
    await f.accounts.create(doctor());
    const fail = async () => reason(await f.accounts.authenticate({ username: 'doctor', password: WRONG }));
    for (let i = 0; i < 4; i++) expect(await fail()).toBe('invalid-credentials');
    expect(reason(await f.accounts.authenticate({ username: 'doctor', password: PASSWORD }))).toBe('ok');
    for (let i = 0; i < 4; i++) expect(await fail()).toBe('invalid-credentials');
    expect(await fail()).toBe('locked');
    f.clock.advance(15 * 60);
    for (let i = 0; i < 4; i++) expect(await fail()).toBe('invalid-credentials');
    expect(await fail()).toBe('locked');
  });

  it('locks unknown usernames the same way, so a lock does not reveal that an account exists', async () => {
    await using f = await accountsFixture();
    const reasons: string[] = [];
    for (let i = 0; i < 6; i++)
      reasons.push(reason(await f.accounts.authenticate({ username: 'ghost', password: WRONG })));
    expect(reasons).toEqual([...Array(4).fill('invalid-credentials'), 'locked', 'locked']);
  });

  it('loses no failure when attempts race, also across two replicas', async () => {
    await using f = await accountsFixture();
    await f.accounts.create(doctor());
    const other = f.replica();
    await Promise.all(
      [f.accounts, other, f.accounts].map((s) => s.authenticate({ username: 'doctor', password: WRONG })),
    );
    const [row] = await f.sql<{ failures: number }[]>`
      select failures from auth_login_throttle where username_key = 'doctor'`;
    expect(row?.failures).toBe(3);
    expect(reason(await other.authenticate({ username: 'doctor', password: WRONG }))).toBe(
      'invalid-credentials',
    );
    expect(reason(await f.accounts.authenticate({ username: 'doctor', password: WRONG }))).toBe('locked');
    expect(reason(await other.authenticate({ username: 'doctor', password: PASSWORD }))).toBe('locked');
  });

  it('never lets more parallel guesses through than the limit allows', async () => {
    await using f = await accountsFixture();
    await f.accounts.create(doctor());
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? f.replica() : f.accounts).authenticate({ username: 'doctor', password: `${WRONG}${i}` }),
      ),
    );
    const checked = results.filter((r) => reason(r) === 'invalid-credentials').length;
    expect(checked).toBeLessThanOrEqual(4);
    expect(results.every((r) => ['invalid-credentials', 'locked'].includes(reason(r)))).toBe(true);
    expect(reason(await f.accounts.authenticate({ username: 'doctor', password: PASSWORD }))).toBe('locked');
  });
});

describe('rate limit per client address', () => {
  it('refuses an address after 20 failures in 10 minutes, even with the right password', async () => {
    await using f = await accountsFixture();
    await f.accounts.create(doctor());
    // A spray over many usernames: no single username reaches its own lock.
    for (let i = 0; i < 20; i++) {
      const r = await f.accounts.authenticate({ username: `user${i}`, password: WRONG, ip: '203.0.113.9' });
      expect(reason(r)).toBe('invalid-credentials');
      f.clock.advance(10);
    }
    const limited = await f.accounts.authenticate({
      username: 'doctor',
      password: PASSWORD,
      ip: '203.0.113.9',
    });
    expect(limited).toEqual({ ok: false, reason: 'rate-limited', retryAfterSeconds: 400 });
    // Another address, and a request without one (a trusted internal caller), are not affected.
    expect(
      reason(await f.accounts.authenticate({ username: 'doctor', password: PASSWORD, ip: '203.0.113.10' })),
    ).toBe('ok');
    // The oldest failure leaves the window after 10 minutes: one more attempt is let through.
    f.clock.advance(400);
    expect(
      reason(await f.accounts.authenticate({ username: 'doctor', password: PASSWORD, ip: '203.0.113.9' })),
    ).toBe('ok');
    // Refused attempts do not extend the window.
    const again = await f.accounts.authenticate({ username: 'x', password: WRONG, ip: '203.0.113.9' });
    expect(reason(again)).toBe('invalid-credentials');
    expect(reason(await f.accounts.authenticate({ username: 'x', password: WRONG, ip: '203.0.113.9' }))).toBe(
      'rate-limited',
    );
  });

  it('counts one IPv6 /64 as one address, and does not count successes', async () => {
    await using f = await accountsFixture();
    await f.accounts.create(doctor());
    for (let i = 0; i < 25; i++)
      expect(
        reason(await f.accounts.authenticate({ username: 'doctor', password: PASSWORD, ip: '2001:db8::1' })),
      ).toBe('ok');
    for (let i = 0; i < 20; i++)
      await f.accounts.authenticate({
        username: `u${i}`,
        password: WRONG,
        ip: `2001:db8::${(i + 2).toString(16)}`,
      });
    const r = await f.accounts.authenticate({
      username: 'doctor',
      password: PASSWORD,
      ip: '2001:db8:0:0:ffff::1',
    });
    expect(reason(r)).toBe('rate-limited');
    expect(
      reason(
        await f.accounts.authenticate({ username: 'doctor', password: PASSWORD, ip: '2001:db8:0:1::1' }),
      ),
    ).toBe('ok');
  });
});
