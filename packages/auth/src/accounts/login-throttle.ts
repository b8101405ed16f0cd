import type { Database } from '@yiyun/store';

type Sql = Database['sql'];

/** Lockout and rate-limit settings; the defaults follow OWASP's Authentication Cheat Sheet. */
export interface LoginLimits {
  /** Consecutive failures that lock a username (default 5). */
  readonly maxFailures: number;
  /** How long a lock lasts (default 15 min). */
  readonly lockoutSeconds: number;
  /** Failures from one client address bucket within the window that stop further attempts (default 20). */
  readonly maxAddressFailures: number;
  /** The sliding window of the address limit (default 10 min). */
  readonly addressWindowSeconds: number;
  /** A username's failure count idle this long is forgotten (default 24 h). */
  readonly forgetAfterSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = Object.freeze({
  maxFailures: 5,
  lockoutSeconds: 15 * 60,
  maxAddressFailures: 20,
  addressWindowSeconds: 10 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
});

export type Reservation<T> = { readonly attempt: T } | { readonly retryAfterSeconds: number };

const secondsUntil = (until: Date, now: Date) =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
const minus = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000);

/**
 * Failed sign-in counting in the database, so every server replica sees the same counts. An attempt
 * is counted *before* its password is checked (a reservation) and released when it turns out not to
 * be a failure: many parallel guesses cannot all slip in under the limit, and each count is one
 * atomic statement, so concurrent failures are never lost.
 */
export class LoginThrottle {
  readonly #sql: Sql;
  readonly #limits: LoginLimits;

  constructor(sql: Sql, limits: LoginLimits) {
    this.#sql = sql;
    this.#limits = limits;
  }

  /** Counts an attempt from `address`; refused while the window already holds the maximum of failures. */
  async reserveAddress(address: string, now: Date): Promise<Reservation<string>> {
    const sql = this.#sql;
    const start = minus(now, this.#limits.addressWindowSeconds);
    await sql`delete from auth_login_attempt where at <= ${start}`;
    const [own] = await sql<{ id: string }[]>`
      insert into auth_login_attempt (address, at) values (${address}, ${now}) returning id`;
    const id = own!.id;
    // The maximum-th most recent other failure: while it is inside the window, the limit is reached.
    const [blocking] = await sql<{ at: Date }[]>`
      select at from auth_login_attempt
      where address = ${address} and at > ${start} and id <> ${id}
      order by at desc offset ${this.#limits.maxAddressFailures - 1} limit 1`;
    if (blocking === undefined) return { attempt: id };
    await this.releaseAddress(id);
    const until = new Date(blocking.at.getTime() + this.#limits.addressWindowSeconds * 1000);
    return { retryAfterSeconds: secondsUntil(until, now) };
  }

  /** The attempt was not a failure (a success, or the right password of a disabled account). */
  async releaseAddress(attempt: string): Promise<void> {
    await this.#sql`delete from auth_login_attempt where id = ${attempt}`;
  }

  /** Counts an attempt on a username; refused while it is locked. */
  async reserveName(key: string, now: Date): Promise<Reservation<number>> {
    const forget = minus(now, this.#limits.forgetAfterSeconds);
    const [row] = await this.#sql<{ failures: number; locked_until: Date | null }[]>`
      insert into auth_login_throttle as t (username_key, failures, last_attempt_at)
      values (${key}, 1, ${now})
      on conflict (username_key) do update set
        failures = case
          when t.locked_until > ${now} then t.failures
          when t.last_attempt_at < ${forget} then 1
          else t.failures + 1 end,
        locked_until = case when t.locked_until > ${now} then t.locked_until end,
        last_attempt_at = ${now}
      returning failures, locked_until`;
    if (row!.locked_until !== null) return { retryAfterSeconds: secondsUntil(row!.locked_until, now) };
    if (row!.failures <= this.#limits.maxFailures) return { attempt: row!.failures };
    // More attempts in flight than the limit allows: this one waits for theirs to settle.
    await this.releaseName(key);
    return { retryAfterSeconds: this.#limits.lockoutSeconds };
  }

  /** The attempt failed: it stays counted; at the maximum the username locks. Returns the lock's end. */
  async failName(key: string, now: Date): Promise<Date | undefined> {
    const sql = this.#sql;
    const until = new Date(now.getTime() + this.#limits.lockoutSeconds * 1000);
    const [row] = await sql<{ locked_until: Date | null }[]>`
      update auth_login_throttle set
        locked_until = ${until}, failures = 0
      where username_key = ${key} and failures >= ${this.#limits.maxFailures}
        and (locked_until is null or locked_until <= ${now})
      returning locked_until`;
    const forget = minus(now, this.#limits.forgetAfterSeconds);
    await sql`delete from auth_login_throttle
      where last_attempt_at < ${forget} and (locked_until is null or locked_until < ${now})`;
    return row?.locked_until ?? undefined;
  }

  /** The attempt was not a failure: uncount it. */
  async releaseName(key: string): Promise<void> {
    await this.#sql`update auth_login_throttle set failures = greatest(failures - 1, 0)
      where username_key = ${key}`;
  }

  /** A successful sign-in: the count starts again. */
  async resetName(key: string): Promise<void> {
    await this.#sql`delete from auth_login_throttle where username_key = ${key}`;
  }
}
