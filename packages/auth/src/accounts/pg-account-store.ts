import { randomUUID } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import { type Database, migrateModule } from '@yiyun/store';
import type { Role } from '../principal.ts';
import {
  type AccountRow,
  accountColumns,
  assertNewAccount,
  isAccountId,
  type SecretRow,
  toAccount,
} from './account-rows.ts';
import { addressBucket } from './client-address.ts';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits, LoginThrottle } from './login-throttle.ts';
import { ACCOUNT_MIGRATIONS } from './migrations.ts';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './password-hash.ts';
import { assertPasswordPolicy, assertValidUsername, canonicalUsername, usernameKey } from './policy.ts';
import type {
  Account,
  AccountStore,
  AuthenticationFailure,
  AuthenticationResult,
  Credentials,
  NewAccount,
} from './port.ts';
import { openSecret, sealSecret } from './secret-box.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp.ts';

type Sql = Database['sql'];

export interface PgAccountStoreOptions {
  /** The store's connection (`store.database.sql`): PostgreSQL or PGlite. */
  readonly sql: Sql;
  /**
   * 32-byte AES-256-GCM key that seals TOTP seeds (e.g. `deriveSecretKey(secret, 'yiyun/accounts/totp')`).
   * Every replica needs the same key. Without it, TOTP enrolment and sign-in of an account with a
   * second factor throw AppError('internal').
   */
  readonly totpKey?: Uint8Array;
  /** The clock (tests move it instead of waiting out a lockout). */
  readonly now?: () => Date;
  readonly limits?: Partial<LoginLimits>;
}

/** What one check of credentials concluded, and whether it counts as a failed attempt. */
interface Verdict {
  readonly result: AuthenticationResult;
  readonly failed: boolean;
}

const refuse = (reason: AuthenticationFailure, failed: boolean, retryAfterSeconds?: number): Verdict => ({
  result: { ok: false, reason, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
  failed,
});

/** Accounts in PostgreSQL / PGlite (tables `auth_account`, `auth_login_throttle`, `auth_login_attempt`). */
export class PgAccountStore implements AccountStore {
  readonly #sql: Sql;
  readonly #totpKey: Uint8Array | undefined;
  readonly #now: () => Date;
  readonly #throttle: LoginThrottle;
  #dummyHash: Promise<string> | undefined;

  /** Use `PgAccountStore.open`, which migrates first. */
  constructor(options: PgAccountStoreOptions) {
    this.#sql = options.sql;
    this.#totpKey = options.totpKey;
    this.#now = options.now ?? (() => new Date());
    this.#throttle = new LoginThrottle(options.sql, { ...DEFAULT_LOGIN_LIMITS, ...options.limits });
  }

  /** Applies the `accounts` module's migrations (safe from several replicas at once) and opens the store. */
  static async open(options: PgAccountStoreOptions): Promise<PgAccountStore> {
    await migrateModule(options.sql, 'accounts', ACCOUNT_MIGRATIONS);
    return new PgAccountStore(options);
  }

  async authenticate(credentials: Credentials): Promise<AuthenticationResult> {
    const now = this.#now();
    const address = credentials.ip === undefined ? undefined : addressBucket(credentials.ip);
    const slot = address === undefined ? undefined : await this.#throttle.reserveAddress(address, now);
    if (slot !== undefined && 'retryAfterSeconds' in slot)
      return refuse('rate-limited', false, slot.retryAfterSeconds).result;
    const verdict = await this.#check(credentials, now);
    if (slot !== undefined && !verdict.failed) await this.#throttle.releaseAddress(slot.attempt);
    return verdict.result;
  }

  /**
   * The order matters: lock first (the same for unknown names), then the password (verified against
   * a dummy hash when there is no such account), and only then what reveals that the account exists
   * — disabled, second factor required.
   */
  async #check(credentials: Credentials, now: Date): Promise<Verdict> {
    const key = usernameKey(credentials.username);
    if (key === undefined) {
      await verifyPassword(await this.#dummy(), credentials.password);
      return refuse('invalid-credentials', true);
    }
    const reserved = await this.#throttle.reserveName(key, now);
    if ('retryAfterSeconds' in reserved) return refuse('locked', true, reserved.retryAfterSeconds);
    const [row] = await this.#sql<SecretRow[]>`
      select ${accountColumns(this.#sql)}, password_hash, totp_secret
      from auth_account where username_key = ${key}`;
    const passwordOk = await verifyPassword(
      row?.password_hash ?? (await this.#dummy()),
      credentials.password,
    );
    if (row === undefined || !passwordOk) return this.#fail(key, now, 'invalid-credentials');
    if (row.disabled) {
      await this.#throttle.releaseName(key);
      return refuse('disabled', false);
    }
    if (row.totp_secret !== null) {
      if (credentials.totp === undefined || credentials.totp === '') {
        await this.#throttle.releaseName(key);
        return refuse('totp-required', false);
      }
      const secret = openSecret(this.#key(), row.totp_secret, totpContext(row.id));
      const step = matchTotp(secret, credentials.totp, now.getTime());
      if (step === undefined || !(await this.#consumeStep(row.id, step)))
        return this.#fail(key, now, 'totp-invalid');
    }
    await this.#throttle.resetName(key);
    const rehashed = needsRehash(row.password_hash) ? await hashPassword(credentials.password) : null;
    await this.#sql`update auth_account set last_login_at = ${now},
      password_hash = coalesce(${rehashed}::text, password_hash) where id = ${row.id}`;
    return { result: { ok: true, account: toAccount(row) }, failed: false };
  }

  async #fail(key: string, now: Date, reason: AuthenticationFailure): Promise<Verdict> {
    const lockedUntil = await this.#throttle.failName(key, now);
    if (lockedUntil === undefined) return refuse(reason, true);
    return refuse('locked', true, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  }

  /** Accepts a time step only if it is later than the last one accepted (RFC 6238 §5.2: no replay). */
  async #consumeStep(id: string, step: number): Promise<boolean> {
    const rows = await this.#sql`update auth_account set totp_last_step = ${step}
      where id = ${id} and (totp_last_step is null or totp_last_step < ${step}) returning id`;
    return rows.length === 1;
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= dummyPasswordHash();
    return this.#dummyHash;
  }

  #key(): Uint8Array {
    if (this.#totpKey === undefined)
      throw new AppError('internal', 'No TOTP key configured for the account store');
    return this.#totpKey;
  }

  async find(id: string): Promise<Account | undefined> {
    if (!isAccountId(id)) return undefined;
    const [row] = await this.#sql<AccountRow[]>`
      select ${accountColumns(this.#sql)} from auth_account where id = ${id}`;
    return row && toAccount(row);
  }

  async findByUsername(username: string): Promise<Account | undefined> {
    const key = usernameKey(username);
    if (key === undefined) return undefined;
    const [row] = await this.#sql<AccountRow[]>`
      select ${accountColumns(this.#sql)} from auth_account where username_key = ${key}`;
    return row && toAccount(row);
  }

  async create(account: NewAccount): Promise<Account> {
    const key = assertValidUsername(account.username);
    assertPasswordPolicy(account.password, account.username);
    assertNewAccount(account);
    const hash = await hashPassword(account.password);
    const now = this.#now();
    const sql = this.#sql;
    const [row] = await sql<AccountRow[]>`
      insert into auth_account (id, username, username_key, kind, display_name, roles, organization,
        practitioner, practitioner_role, patient, locale, password_hash, password_changed_at,
        created_at, updated_at)
      values (${randomUUID()}, ${canonicalUsername(account.username)}, ${key}, ${account.kind},
        ${account.displayName.trim()}, ${sql.array([...account.roles])}, ${account.organization ?? null},
        ${account.practitioner ?? null}, ${account.practitionerRole ?? null}, ${account.patient ?? null},
        ${account.locale ?? 'zh-CN'}, ${hash}, ${now}, ${now}, ${now})
      on conflict (username_key) do nothing
      returning ${accountColumns(sql)}`;
    if (row === undefined) throw new AppError('conflict', 'That username is taken');
    return toAccount(row);
  }

  async listStaff(options: { readonly organization?: string; readonly limit: number }): Promise<Account[]> {
    const sql = this.#sql;
    const rows = await sql<AccountRow[]>`
      select ${accountColumns(sql)} from auth_account
      where kind = 'staff' and (${options.organization ?? null}::text is null or organization = ${options.organization ?? null})
      order by username_key limit ${options.limit}`;
    return rows.map(toAccount);
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.#updateOne(id, this.#sql`disabled = ${disabled}`);
  }

  async setRoles(id: string, roles: readonly Role[]): Promise<Account> {
    const account = await this.find(id);
    if (account === undefined) throw new AppError('not-found', 'No such account');
    assertNewAccount({ ...account, password: '', roles });
    const sql = this.#sql;
    await this.#updateOne(id, sql`roles = ${sql.array([...roles])}`);
    return { ...account, roles };
  }

  async setPassword(id: string, password: string): Promise<void> {
    const account = await this.find(id);
    if (account === undefined) throw new AppError('not-found', 'No such account');
    assertPasswordPolicy(password, account.username);
    const hash = await hashPassword(password);
    await this.#updateOne(id, this.#sql`password_hash = ${hash}, password_changed_at = ${this.#now()}`);
  }

  async beginTotp(id: string): Promise<{ secret: string; uri: string }> {
    const account = await this.find(id);
    if (account === undefined) throw new AppError('not-found', 'No such account');
    const secret = newTotpSecret();
    const sealed = sealSecret(this.#key(), secret, totpContext(id));
    await this.#updateOne(id, this.#sql`totp_pending = ${sealed}`);
    return { secret, uri: totpUri(secret, account.username) };
  }

  async confirmTotp(id: string, code: string): Promise<boolean> {
    if (!isAccountId(id)) throw new AppError('not-found', 'No such account');
    const [row] = await this.#sql<{ totp_pending: string | null }[]>`
      select totp_pending from auth_account where id = ${id}`;
    if (row === undefined) throw new AppError('not-found', 'No such account');
    if (row.totp_pending === null) return false;
    const secret = openSecret(this.#key(), row.totp_pending, totpContext(id));
    const step = matchTotp(secret, code, this.#now().getTime());
    if (step === undefined) return false;
    // The confirming code is spent: it cannot also sign in. A concurrent beginTotp wins over this.
    const updated = await this.#sql`update auth_account set totp_secret = totp_pending, totp_pending = null,
        totp_last_step = ${step}, updated_at = ${this.#now()}
      where id = ${id} and totp_pending = ${row.totp_pending} returning id`;
    return updated.length === 1;
  }

  async disableTotp(id: string): Promise<void> {
    await this.#updateOne(id, this.#sql`totp_secret = null, totp_pending = null, totp_last_step = null`);
  }

  async #updateOne(id: string, set: ReturnType<Sql>): Promise<void> {
    if (!isAccountId(id)) throw new AppError('not-found', 'No such account');
    const rows = await this.#sql`update auth_account set ${set}, updated_at = ${this.#now()}
      where id = ${id} returning id`;
    if (rows.length === 0) throw new AppError('not-found', 'No such account');
  }
}

/** Additional authenticated data binding a sealed TOTP seed to its account. */
function totpContext(id: string): string {
  return `yiyun/accounts/totp:${id}`;
}
