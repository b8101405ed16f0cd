import type { Database, Migration } from '@yiyun/store';
import { migrateModule } from '@yiyun/store';

/**
 * The audit module's tables (docs/decisions/0002-audit-chain.md). The application never updates or
 * deletes a row of either; production grants its role INSERT and SELECT only (see README.md).
 */
export const AUDIT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit-event-and-batch',
    up: `
create table audit_event (
  seq bigint generated always as identity primary key,
  recorded timestamptz not null,
  inserted_at timestamptz not null default clock_timestamp(),
  kind text not null,
  outcome text not null,
  account text,
  organization text,
  patients text[] not null default '{}',
  content jsonb not null,
  hash bytea not null,
  algorithm text not null
);
create index audit_event_recorded on audit_event (recorded desc, seq desc);
create index audit_event_patients on audit_event using gin (patients);
create index audit_event_account on audit_event (account, recorded desc) where account is not null;
create index audit_event_organization on audit_event (organization, recorded desc)
  where organization is not null;

create table audit_batch (
  batch_no bigint primary key,
  first_seq bigint not null,
  last_seq bigint not null,
  count integer not null,
  gaps bigint[] not null default '{}',
  leaves bytea not null,
  root bytea not null,
  prev_hash bytea not null,
  batch_hash bytea not null,
  algorithm text not null,
  sealed_at timestamptz not null default clock_timestamp()
);
`,
  },
];

/** Creates or upgrades the audit tables; safe from several replicas at once. */
export function migrateAudit(sql: Database['sql']): Promise<number[]> {
  return migrateModule(sql, 'audit', AUDIT_MIGRATIONS);
}
