import { type Database, type Migration, migrateModule } from '@yiyun/store';

export type Sql = Database['sql'];

/**
 * The health card tables (module `mpi-card`). Serials come from a sequence, so two replicas never
 * issue the same number; the partial unique index keeps one unrevoked card per person in the
 * database itself, whichever replica issues it. Never edit a shipped migration: add the next.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'health-card',
    up: `
      create sequence health_card_serial as bigint minvalue 1 maxvalue 999999999 no cycle;

      create table health_card (
        number text primary key,
        person_id text not null,
        area_code text not null,
        issued_at timestamptz not null,
        expires_at timestamptz not null,
        issued_by text not null,
        revoked_at timestamptz,
        revoke_reason text,
        revoked_by text,
        check ((revoked_at is null) = (revoke_reason is null))
      );
      create unique index health_card_current on health_card (person_id) where revoked_at is null;
      create index health_card_person on health_card (person_id, issued_at desc);

      create table health_card_key (
        kid text primary key,
        alg text not null,
        public_jwk jsonb not null,
        private_jwe text not null,
        created_at timestamptz not null default now(),
        retired_at timestamptz
      );
    `,
  },
];

/** Applies the module's migrations (safe from several replicas at once). */
export async function migrateHealthCards(sql: Sql): Promise<number[]> {
  return migrateModule(sql, 'mpi-card', MIGRATIONS);
}
