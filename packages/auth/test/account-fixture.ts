import { randomBytes } from 'node:crypto';
import { type NewAccount, PgAccountStore, type PgAccountStoreOptions } from '@yiyun/auth';
import { createTestStore } from '@yiyun/store/testing';

/** A clock the test moves by hand (a lockout lasts 15 minutes; nobody waits for it). */
export interface TestClock {
  now(): Date;
  advance(seconds: number): void;
}

export function testClock(start = '2026-06-30T08:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(seconds) {
      t += seconds * 1000;
    },
  };
}

export interface AccountsFixture extends AsyncDisposable {
  readonly accounts: PgAccountStore;
  readonly clock: TestClock;
  readonly sql: PgAccountStoreOptions['sql'];
  /** Another store on the same database: what a second server replica would hold. */
  replica(): PgAccountStore;
}

/** An account store on a fresh database of the kind YIYUN_TEST_STORE names, dropped on dispose. */
export async function accountsFixture(
  options: Omit<PgAccountStoreOptions, 'sql' | 'now'> = {},
): Promise<AccountsFixture> {
  const store = await createTestStore();
  const clock = testClock();
  const full = {
    totpKey: new Uint8Array(randomBytes(32)),
    ...options,
    sql: store.database.sql,
    now: clock.now,
  };
  const accounts = await PgAccountStore.open(full);
  return {
    accounts,
    clock,
    sql: store.database.sql,
    replica: () => new PgAccountStore(full),
    [Symbol.asyncDispose]: () => store[Symbol.asyncDispose](),
  };
}

export const PASSWORD = 'Correct-horse-9';

export function doctor(overrides: Partial<NewAccount> = {}): NewAccount {
  return {
    username: 'doctor',
    password: PASSWORD,
    kind: 'staff',
    displayName: '王伟',
    roles: ['clinician'],
    organization: 'org-h1',
    practitioner: 'pr-h1-1',
    practitionerRole: 'prr-h1-1',
    ...overrides,
  };
}
