import type { Migration } from '@yiyun/store';

/** The `accounts` module's tables (applied with `migrateModule(sql, 'accounts', …)`). Never edit a shipped one. */
export const ACCOUNT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts and login throttling',
    up: `
      create table auth_account (
        id uuid primary key,
        username text not null,
        -- lower-cased NFKC form: one account per name whatever its case
        username_key text not null constraint auth_account_username_key unique,
        kind text not null check (kind in ('staff', 'resident')),
        display_name text not null,
        roles text[] not null,
        organization text,
        practitioner text,
        practitioner_role text,
        patient text,
        locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
        password_hash text not null,
        password_changed_at timestamptz not null,
        disabled boolean not null default false,
        -- TOTP seeds, AES-256-GCM sealed (never in clear); pending until confirmed with a code
        totp_secret text,
        totp_pending text,
        -- last RFC 6238 time step accepted: codes of that step or earlier are replays
        totp_last_step bigint,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        last_login_at timestamptz
      );
      create index auth_account_patient on auth_account (patient) where patient is not null;
      create index auth_account_practitioner on auth_account (practitioner) where practitioner is not null;

      -- Consecutive failed sign-ins per username key, whether or not such an account exists, so that
      -- lockout looks the same for unknown names. Attempts are counted before the password is checked.
      create table auth_login_throttle (
        username_key text primary key,
        failures integer not null,
        locked_until timestamptz,
        last_attempt_at timestamptz not null
      );
      create index auth_login_throttle_last on auth_login_throttle (last_attempt_at);

      -- One row per failed (or in-flight) sign-in per client address bucket, for the sliding window.
      create table auth_login_attempt (
        id bigint generated always as identity primary key,
        address text not null,
        at timestamptz not null
      );
      create index auth_login_attempt_address on auth_login_attempt (address, at);
      create index auth_login_attempt_at on auth_login_attempt (at);
    `,
  },
];
