/** The resident health card (issue #5 scope 4) on the real store: numbers, lookup, QR payload, revocation. */
import { randomBytes } from 'node:crypto';
import type { Patient } from '@medplum/fhirtypes';
import { AppError, buildHealthCard, isValidHealthCard, RESIDENT_ID_SYSTEM } from '@yiyun/fhir';
import { createTestStore } from '@yiyun/store/testing';
import { describe, expect, it } from 'vitest';
import {
  type HealthCardOptions,
  healthCardNameHash,
  openHealthCards,
  pgPersonDirectory,
  verifyHealthCardOffline,
} from '../src/card/index.ts';

const ISSUER = 'https://yiyun.example/health-card';
const DAY = 86_400_000;
const RESIDENTS = ['11010519491231002X', '350203199001011234', '350203198506150026'] as const;

async function cardFixture(options: Partial<HealthCardOptions> = {}) {
  const store = await createTestStore({ registryPollMs: 0 });
  const clock = { now: new Date('2026-03-01T02:00:00Z') };
  const kek = randomBytes(32);
  const sql = store.database.sql;
  const open = (extra: Partial<HealthCardOptions> = {}) =>
    openHealthCards({
      sql,
      keyEncryptionKey: kek,
      issuer: ISSUER,
      areaCode: '350203',
      now: () => clock.now,
      ...options,
      ...extra,
    });
  const cards = await open();
  const persons: string[] = [];
  const directory = pgPersonDirectory(sql);
  for (const [i, number] of RESIDENTS.entries()) {
    const patient: Patient = {
      resourceType: 'Patient',
      id: `p${i}`,
      identifier: [{ system: RESIDENT_ID_SYSTEM, value: number }],
    };
    await store.repository().update(patient);
    // The resident registry's linker writes the link in production; here the test links directly.
    if (!(await directory.personOfPatient(`p${i}`)))
      await sql`insert into patient_person (patient_id, person_id) values (${`p${i}`}, ${`person-${i}`})`;
    const person = await directory.personOfPatient(`p${i}`);
    if (!person) throw new Error('no person link');
    persons.push(person);
  }
  return {
    cards,
    open,
    clock,
    sql,
    persons,
    directory,
    [Symbol.asyncDispose]: () => store[Symbol.asyncDispose](),
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

/** Flips one character of the payload segment, keeping it valid base64url. */
function tamper(jws: string): string {
  const [header, payload, signature] = jws.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as { card: string };
  const other = `${claims.card.slice(0, 16)}${(Number(claims.card[16]) + 1) % 10}`;
  const forged = Buffer.from(JSON.stringify({ ...claims, card: other })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}

describe('issuing and looking up', () => {
  it('issues a valid 18-digit number to a person and finds the person by it', async () => {
    await using fx = await cardFixture();
    const person = fx.persons[0] ?? '';
    const card = await fx.cards.issue(person, 'acct-clerk');
    expect(card.number).toMatch(/^35020326\d{10}$/);
    expect(isValidHealthCard(card.number)).toBe(true);
    expect(card).toMatchObject({
      personId: person,
      status: 'active',
      issuedBy: 'acct-clerk',
      revokedAt: null,
    });
    expect(Date.parse(card.expiresAt) - Date.parse(card.issuedAt)).toBe(3650 * DAY);
    const found = await fx.cards.lookup(`${card.number.slice(0, 9)} ${card.number.slice(9)}`);
    expect(found).toMatchObject({ number: card.number, personId: person, status: 'active' });
    expect((await fx.cards.currentCard(person))?.number).toBe(card.number);
    expect(await fx.directory.patientsOfPerson(person)).toEqual(['p0']);
  });

  it('gives concurrent issues for different persons distinct numbers, and one card per person', async () => {
    await using fx = await cardFixture();
    const [a, b, c] = fx.persons as [string, string, string];
    const second = await fx.open(); // another replica on the same database
    const issued = await Promise.all([fx.cards.issue(a, 'x'), second.issue(b, 'y'), fx.cards.issue(c, 'z')]);
    expect(new Set(issued.map((i) => i.number)).size).toBe(3);
    expect(issued.every((i) => isValidHealthCard(i.number))).toBe(true);

    const again = await Promise.allSettled([fx.cards.issue(a, 'x'), second.issue(a, 'y')]);
    expect(again.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of again) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    expect((await fx.cards.cardsOf(a)).length).toBe(1);

    // After a loss, two desks replacing the same card at once: exactly one new card.
    await fx.cards.revoke(issued[0]?.number ?? '', 'lost', 'x');
    const race = await Promise.allSettled([fx.cards.issue(a, 'x'), second.issue(a, 'y')]);
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await fx.cards.cardsOf(a)).map((c) => c.status)).toEqual(['active', 'revoked']);
  });

  it('refuses a bad check digit as invalid, and an unknown number or person as not-found', async () => {
    await using fx = await cardFixture();
    const card = await fx.cards.issue(fx.persons[0] ?? '', 'acct-clerk');
    const wrong = `${card.number.slice(0, 17)}${(Number(card.number[17]) + 1) % 10}`;
    for (const attempt of [
      fx.cards.lookup(wrong),
      fx.cards.lookup('not a number'),
      fx.cards.revoke(wrong, 'lost', 'acct'),
      fx.cards.qrPayload(wrong, '张伟'),
    ]) {
      const err = await rejection(attempt);
      expect(err.code).toBe('invalid');
      expect(err.message).toMatch(/check digit/);
    }
    expect((await rejection(fx.cards.lookup(buildHealthCard('350203', 2026, 999_999_999)))).code).toBe(
      'not-found',
    );
    expect((await rejection(fx.cards.issue('id:nobody', 'acct'))).code).toBe('not-found');
    expect((await rejection(fx.cards.issue(' ', 'acct'))).code).toBe('invalid');
    expect((await rejection(fx.cards.qrPayload(card.number, '  '))).code).toBe('invalid');
  });
});

describe('the signed QR payload', () => {
  it('verifies offline with only the published JWKS, and compares the name', async () => {
    await using fx = await cardFixture();
    const card = await fx.cards.issue(fx.persons[0] ?? '', 'acct-clerk');
    const jws = await fx.cards.qrPayload(card.number, '张伟');
    expect(jws.split('.')).toHaveLength(3);
    expect(jws.length).toBeLessThan(400);
    const header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', typ: 'health-card+jwt' });
    const jwks = JSON.parse(JSON.stringify(await fx.cards.jwks())); // as a clinic downloads it
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const result = await verifyHealthCardOffline(jws, jwks, {
      issuer: ISSUER,
      now: fx.clock.now,
      name: ' 张伟 ',
    });
    expect(result).toMatchObject({ valid: true, card: card.number, kid: header.kid, nameMatches: true });
    expect(result.valid && result.nameHash).toBe(await healthCardNameHash('张伟'));
    expect(result.valid && result.expiresAt.getTime() - fx.clock.now.getTime()).toBe(DAY);
    const other = await verifyHealthCardOffline(jws, jwks, { now: fx.clock.now, name: '张玮' });
    expect(other).toMatchObject({ valid: true, nameMatches: false });
    expect(await fx.cards.verify(jws)).toMatchObject({ valid: true, card: card.number });
  });

  it('fails a tampered payload, a wrong issuer, a foreign key and garbage', async () => {
    await using fx = await cardFixture();
    const card = await fx.cards.issue(fx.persons[0] ?? '', 'acct-clerk');
    const jws = await fx.cards.qrPayload(card.number, '张伟');
    const jwks = await fx.cards.jwks();
    const at = { now: fx.clock.now };
    expect(await verifyHealthCardOffline(tamper(jws), jwks, at)).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
    expect(await fx.cards.verify(tamper(jws))).toEqual({ valid: false, reason: 'bad-signature' });
    expect(await verifyHealthCardOffline(jws, jwks, { ...at, issuer: 'https://elsewhere' })).toEqual({
      valid: false,
      reason: 'wrong-issuer',
    });
    await using foreign = await cardFixture();
    expect(await verifyHealthCardOffline(jws, await foreign.cards.jwks(), at)).toEqual({
      valid: false,
      reason: 'unknown-key',
    });
    for (const junk of ['', 'a.b.c', 'x'.repeat(5000), `${jws}x`])
      expect((await verifyHealthCardOffline(junk, jwks, at)).valid).toBe(false);
  });

  it('fails once expired, and never outlives the card', async () => {
    await using fx = await cardFixture({ validityDays: 30, qrValiditySeconds: 3600 });
    const card = await fx.cards.issue(fx.persons[0] ?? '', 'acct-clerk');
    const jws = await fx.cards.qrPayload(card.number, '张伟');
    const jwks = await fx.cards.jwks();
    const later = new Date(fx.clock.now.getTime() + 2 * 3_600_000);
    expect(await verifyHealthCardOffline(jws, jwks, { now: later })).toEqual({
      valid: false,
      reason: 'expired',
    });
    fx.clock.now = later;
    expect(await fx.cards.verify(jws)).toEqual({ valid: false, reason: 'expired' });

    fx.clock.now = new Date(Date.parse(card.expiresAt) - 600_000); // ten minutes left on the card
    const last = await verifyHealthCardOffline(await fx.cards.qrPayload(card.number, '张伟'), jwks, {
      now: fx.clock.now,
    });
    expect(last.valid && last.expiresAt.toISOString()).toBe(card.expiresAt);
    fx.clock.now = new Date(Date.parse(card.expiresAt) + 1000);
    expect((await fx.cards.lookup(card.number)).status).toBe('expired');
    expect((await rejection(fx.cards.qrPayload(card.number, '张伟'))).code).toBe('conflict');
    const renewed = await fx.cards.issue(fx.persons[0] ?? '', 'acct-clerk');
    expect(renewed.number).not.toBe(card.number);
    expect(await fx.cards.lookup(card.number)).toMatchObject({ status: 'revoked', revokeReason: 'expired' });
  });

  it('keeps verifying payloads signed before a key rotation, and signs with the new key after it', async () => {
    await using fx = await cardFixture();
    const card = await fx.cards.issue(fx.persons[0] ?? '', 'acct-clerk');
    const before = await fx.cards.qrPayload(card.number, '张伟');
    const replica = await fx.open();
    const kid = await replica.rotateKey();
    const jwks = await fx.cards.jwks();
    expect(jwks.keys.map((k) => k.kid)).toHaveLength(2);
    expect(jwks.keys[0]?.kid).toBe(kid);
    const after = await fx.cards.qrPayload(card.number, '张伟');
    const at = { now: fx.clock.now };
    expect(await verifyHealthCardOffline(before, jwks, at)).toMatchObject({ valid: true });
    expect(await verifyHealthCardOffline(after, jwks, at)).toMatchObject({ valid: true, kid });
  });
});

describe('revocation on loss', () => {
  it('shows the card revoked, fails online verification, and lets a new card be issued', async () => {
    await using fx = await cardFixture();
    const person = fx.persons[1] ?? '';
    const card = await fx.cards.issue(person, 'acct-clerk');
    const jws = await fx.cards.qrPayload(card.number, 'ZHANG Wei');
    expect((await rejection(fx.cards.issue(person, 'acct-clerk'))).code).toBe('conflict');

    const revoked = await fx.cards.revoke(card.number, 'lost', 'acct-desk');
    expect(revoked).toMatchObject({ status: 'revoked', revokeReason: 'lost', revokedBy: 'acct-desk' });
    expect(await fx.cards.lookup(card.number)).toMatchObject({ personId: person, status: 'revoked' });
    expect(await fx.cards.verify(jws)).toEqual({ valid: false, reason: 'revoked' });
    // Offline, a revoked card's last payload stays valid until it expires (bounded by its lifetime).
    expect(await verifyHealthCardOffline(jws, await fx.cards.jwks(), { now: fx.clock.now })).toMatchObject({
      valid: true,
    });
    expect((await rejection(fx.cards.revoke(card.number, 'lost', 'acct-desk'))).code).toBe('conflict');
    expect((await rejection(fx.cards.revoke(card.number, ' ', 'acct-desk'))).code).toBe('invalid');
    expect((await rejection(fx.cards.qrPayload(card.number, 'ZHANG Wei'))).code).toBe('conflict');

    const reissued = await fx.cards.issue(person, 'acct-clerk');
    expect(reissued.number).not.toBe(card.number);
    expect(await fx.cards.lookup(reissued.number)).toMatchObject({ personId: person, status: 'active' });
    expect((await fx.cards.cardsOf(person)).map((c) => c.status)).toEqual(['active', 'revoked']);
    expect(await fx.cards.verify(await fx.cards.qrPayload(reissued.number, 'ZHANG Wei'))).toMatchObject({
      valid: true,
    });
  });
});
