import { type Migration, migrateModule } from '@yiyun/store';
import type { Sql } from './sql.ts';

/**
 * The identity provider's tables (module `oidc`). Every replica reads and writes the same rows, so
 * sessions, codes, grants, clients, signing keys and revocations are shared across replicas.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'oidc-core',
    up: `
      create table oidc_payload (
        model text not null,
        id text not null,
        payload jsonb not null,
        grant_id text,
        user_code text,
        uid text,
        expires_at timestamptz,
        consumed_at timestamptz,
        primary key (model, id)
      );
      create index oidc_payload_grant on oidc_payload (grant_id) where grant_id is not null;
      create index oidc_payload_uid on oidc_payload (uid) where uid is not null;
      create index oidc_payload_user_code on oidc_payload (user_code) where user_code is not null;
      create index oidc_payload_expires on oidc_payload (expires_at) where expires_at is not null;

      create table oidc_signing_key (
        kid text primary key,
        alg text not null,
        public_jwk jsonb not null,
        private_jwe text not null,
        created_at timestamptz not null default now(),
        retired_at timestamptz
      );

      create table oidc_revocation (
        seq bigint generated always as identity primary key,
        kind text not null check (kind in ('token', 'grant')),
        value text not null,
        recorded_at timestamptz not null default now(),
        expires_at timestamptz not null
      );
      create index oidc_revocation_recorded on oidc_revocation (recorded_at);

      create table oidc_grant_context (
        grant_id text primary key,
        patient text,
        encounter text,
        expires_at timestamptz not null
      );

      create table smart_launch (
        id text primary key,
        patient text,
        encounter text,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null
      );
    `,
  },
];

export async function migrateOidc(sql: Sql): Promise<void> {
  await migrateModule(sql, 'oidc', MIGRATIONS);
}
