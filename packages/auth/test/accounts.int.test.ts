/**
 * PgAccountStore on the real store (PGlite or PostgreSQL per YIYUN_TEST_STORE): accounts, passwords,
 * disabled accounts and the TOTP second factor (issue #4, scope 1).
 */
import { hash } from '@node-rs/argon2';
import { AppError } from '@yiyun/fhir';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { accountsFixture, doctor, PASSWORD } from './account-fixture.ts';

const codeAt = (secret: string, at: Date) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at.getTime() });

describe('PgAccountStore accounts', () => {
  it('creates an account and signs it in by password, whatever the case of the username', async () => {
    await using f = await accountsFixture();
    const created = await f.accounts.create(doctor({ username: 'Doctor.Wang', locale: 'en' }));
    expect(created).toMatchObject({
      username: 'Doctor.Wang',
      kind: 'staff',
      displayName: '王伟',
      roles: ['clinician'],
      organization: 'org-h1',
      practitioner: 'pr-h1-1',
      practitionerRole: 'prr-h1-1',
      disabled: false,
      totpEnabled: false,
      locale: 'en',
    });
    expect(await f.accounts.find(created.id)).toEqual(created);
    expect(await f.accounts.findByUsername('DOCTOR.WANG')).toEqual(created);
    expect(await f.accounts.find('not-a-uuid')).toBeUndefined();
    expect(await f.accounts.findByUsername('nobody')).toBeUndefined();

    const ok = await f.accounts.authenticate({
      username: 'doctor.wang',
      password: PASSWORD,
      ip: '127.0.0.1',
    });
    expect(ok).toEqual({ ok: true, account: created });
    const wrong = await f.accounts.authenticate({ username: 'Doctor.Wang', password: `${PASSWORD}x` });
    expect(wrong).toEqual({ ok: false, reason: 'invalid-credentials' });
    const unknown = await f.accounts.authenticate({ username: 'nobody', password: PASSWORD });
    expect(unknown).toEqual({ ok: false, reason: 'invalid-credentials' });
    const malformed = await f.accounts.authenticate({ username: "x' or 1=1 --", password: PASSWORD });
    expect(malformed).toEqual({ ok: false, reason: 'invalid-credentials' });
  });

  it('stores only an argon2id hash of the password', async () => {
    await using f = await accountsFixture();
    const { id } = await f.accounts.create(doctor());
    const [row] = await f.sql<
      { password_hash: string }[]
    >`select password_hash from auth_account where id = ${id}`;
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=3,p=1\$/);
    expect(row?.password_hash).not.toContain(PASSWORD);
  });

  it('keeps usernames unique across case, also when two creates race', async () => {
    await using f = await accountsFixture();
    await f.accounts.create(doctor({ username: 'Doctor' }));
    await expect(f.accounts.create(doctor({ username: 'dOCTOR' }))).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(f.accounts.create(doctor({ username: 'ＤＯＣＴＯＲ' }))).rejects.toMatchObject({
      code: 'conflict',
    });
    const results = await Promise.allSettled([
      f.accounts.create(doctor({ username: 'Nurse' })),
      f.replica().create(doctor({ username: 'NURSE' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
  });

  it('refuses weak passwords and ill-formed accounts with invalid', async () => {
    await using f = await accountsFixture();
    for (const password of ['short1A', 'alllowercaseletters', 'doctor'])
      await expect(f.accounts.create(doctor({ password }))).rejects.toMatchObject({ code: 'invalid' });
    await expect(f.accounts.create(doctor({ username: 'a b' }))).rejects.toMatchObject({ code: 'invalid' });
    await expect(f.accounts.create(doctor({ organization: undefined }))).rejects.toBeInstanceOf(AppError);
    expect(await f.accounts.findByUsername('doctor')).toBeUndefined();
  });

  it('changes a password, and upgrades a hash made with weaker parameters at sign-in', async () => {
    await using f = await accountsFixture();
    const { id } = await f.accounts.create(doctor());
    await expect(f.accounts.setPassword(id, 'weak')).rejects.toMatchObject({ code: 'invalid' });
    await f.accounts.setPassword(id, 'New-password-2');
    expect((await f.accounts.authenticate({ username: 'doctor', password: PASSWORD })).ok).toBe(false);
    expect((await f.accounts.authenticate({ username: 'doctor', password: 'New-password-2' })).ok).toBe(true);

    const weak = await hash('New-password-2', { memoryCost: 4096, timeCost: 1 });
    await f.sql`update auth_account set password_hash = ${weak} where id = ${id}`;
    expect((await f.accounts.authenticate({ username: 'doctor', password: 'New-password-2' })).ok).toBe(true);
    const [row] = await f.sql<
      { password_hash: string }[]
    >`select password_hash from auth_account where id = ${id}`;
    expect(row?.password_hash).toMatch(/m=19456,t=3,p=1/);
    await expect(
      f.accounts.setPassword('7f0e7d4c-0000-4000-8000-000000000000', PASSWORD),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('says disabled only after the right password, without counting it as a failure', async () => {
    await using f = await accountsFixture();
    const { id } = await f.accounts.create(doctor());
    await f.accounts.setDisabled(id, true);
    expect((await f.accounts.find(id))?.disabled).toBe(true);
    const wrong = await f.accounts.authenticate({ username: 'doctor', password: 'Wrong-password-1' });
    expect(wrong).toEqual({ ok: false, reason: 'invalid-credentials' });
    for (let i = 0; i < 6; i++) {
      const right = await f.accounts.authenticate({ username: 'doctor', password: PASSWORD, ip: '10.0.0.1' });
      expect(right).toEqual({ ok: false, reason: 'disabled' });
    }
    await f.accounts.setDisabled(id, false);
    expect((await f.accounts.authenticate({ username: 'doctor', password: PASSWORD })).ok).toBe(true);
    await expect(f.accounts.setDisabled('nope', true)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('replaces the roles of an account under the rules of a new one', async () => {
    await using f = await accountsFixture();
    const { id } = await f.accounts.create(doctor());
    expect((await f.accounts.setRoles(id, ['clinician', 'family-doctor'])).roles).toEqual([
      'clinician',
      'family-doctor',
    ]);
    const signedIn = await f.accounts.authenticate({ username: 'doctor', password: PASSWORD });
    expect(signedIn.ok && signedIn.account.roles).toEqual(['clinician', 'family-doctor']);
    for (const roles of [[], ['resident'], ['integration-system']] as const)
      await expect(f.accounts.setRoles(id, roles)).rejects.toMatchObject({ code: 'invalid' });
    expect((await f.accounts.find(id))?.roles).toEqual(['clinician', 'family-doctor']);
    await expect(f.accounts.setRoles('nope', ['nurse'])).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('PgAccountStore TOTP', () => {
  it('enrols with a confirmed code, then requires a fresh code at every sign-in', async () => {
    await using f = await accountsFixture();
    const { id } = await f.accounts.create(doctor({ username: 'family-doctor' }));
    const { secret, uri } = await f.accounts.beginTotp(id);
    expect(decodeURIComponent(uri)).toContain('otpauth://totp/Yiyun 医云:family-doctor?');
    expect(uri).toContain(`secret=${secret}`);
    // Not enabled until confirmed.
    expect((await f.accounts.authenticate({ username: 'family-doctor', password: PASSWORD })).ok).toBe(true);
    expect(
      await f.accounts.confirmTotp(id, codeAt(secret, new Date(f.clock.now().getTime() + 300_000))),
    ).toBe(false);
    const confirming = codeAt(secret, f.clock.now());
    expect(await f.accounts.confirmTotp(id, confirming)).toBe(true);
    expect((await f.accounts.find(id))?.totpEnabled).toBe(true);

    const sign = (totp?: string) =>
      f.accounts.authenticate({ username: 'family-doctor', password: PASSWORD, ...(totp ? { totp } : {}) });
    expect(await sign()).toEqual({ ok: false, reason: 'totp-required' });
    expect(await sign(confirming)).toEqual({ ok: false, reason: 'totp-invalid' }); // spent by enrolment
    f.clock.advance(30);
    const fresh = codeAt(secret, f.clock.now());
    expect((await sign(fresh)).ok).toBe(true);
    expect(await sign(fresh)).toEqual({ ok: false, reason: 'totp-invalid' }); // replay in the same step
    f.clock.advance(30);
    // The previous step's code is inside the ±1 window but older than the last one accepted.
    expect(await sign(fresh)).toEqual({ ok: false, reason: 'totp-invalid' });
    const wrongPassword = await f.accounts.authenticate({
      username: 'family-doctor',
      password: 'Wrong-password-1',
      totp: codeAt(secret, f.clock.now()),
    });
    expect(wrongPassword).toEqual({ ok: false, reason: 'invalid-credentials' });
    // Drift of one step either way is accepted.
    expect((await sign(codeAt(secret, new Date(f.clock.now().getTime() + 30_000)))).ok).toBe(true);
  });

  it('counts wrong codes as failures: five lock the account', async () => {
    await using f = await accountsFixture();
    const { id } = await f.accounts.create(doctor());
    const { secret } = await f.accounts.beginTotp(id);
    expect(await f.accounts.confirmTotp(id, codeAt(secret, f.clock.now()))).toBe(true);
    f.clock.advance(60);
    const reasons: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await f.accounts.authenticate({ username: 'doctor', password: PASSWORD, totp: '000000' });
      reasons.push(r.ok ? 'ok' : r.reason);
    }
    expect(reasons).toEqual(['totp-invalid', 'totp-invalid', 'totp-invalid', 'totp-invalid', 'locked']);
    const good = await f.accounts.authenticate({
      username: 'doctor',
      password: PASSWORD,
      totp: codeAt(secret, f.clock.now()),
    });
    expect(good).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('keeps the seed sealed with AES-256-GCM, readable only with the key', async () => {
    await using f = await accountsFixture();
    const { id } = await f.accounts.create(doctor());
    const { secret } = await f.accounts.beginTotp(id);
    expect(await f.accounts.confirmTotp(id, codeAt(secret, f.clock.now()))).toBe(true);
    const [row] = await f.sql<{ totp_secret: string; totp_pending: string | null }[]>`
      select totp_secret, totp_pending from auth_account where id = ${id}`;
    expect(row?.totp_secret).toMatch(/^v1\./);
    expect(row?.totp_secret).not.toContain(secret);
    expect(row?.totp_pending).toBeNull();
    f.clock.advance(30);
    const keyless = await accountsFixture({ totpKey: undefined });
    await using _ = keyless;
    const { id: other } = await keyless.accounts.create(doctor());
    await expect(keyless.accounts.beginTotp(other)).rejects.toMatchObject({ code: 'internal' });
  });

  it('can be removed again by an administrator', async () => {
    await using f = await accountsFixture();
    const { id } = await f.accounts.create(doctor());
    const { secret } = await f.accounts.beginTotp(id);
    expect(await f.accounts.confirmTotp(id, codeAt(secret, f.clock.now()))).toBe(true);
    await f.accounts.disableTotp(id);
    expect((await f.accounts.find(id))?.totpEnabled).toBe(false);
    expect((await f.accounts.authenticate({ username: 'doctor', password: PASSWORD })).ok).toBe(true);
    expect(await f.accounts.confirmTotp(id, codeAt(secret, f.clock.now()))).toBe(false); // nothing pending
    await expect(f.accounts.beginTotp('6f0e7d4c-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
