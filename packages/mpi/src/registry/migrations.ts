import type { Migration } from '@yiyun/store';

/**
 * The resident registry's tables (module `mpi`; docs/decisions/0005-resident-registry.md). The
 * person link itself is the store's `patient_person`, which access control joins; these tables
 * hold what the registry needs to decide and explain links, and their history.
 */
export const MPI_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'registry',
    up: /* sql */ `
create table mpi_person (
  id text primary key,
  status text not null default 'active',
  merged_into text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create table mpi_record (
  patient_id text primary key,
  rid int8 not null,
  custodian text,
  person_id text not null,
  link_kind text not null,
  probability double precision,
  features jsonb not null,
  flags text[] not null default '{}',
  linked_at timestamptz not null default now()
);
create index mpi_record_person on mpi_record (person_id);
create table mpi_block (key int8 not null, patient_id text not null);
create index mpi_block_key on mpi_block (key);
create index mpi_block_patient on mpi_block (patient_id);
create table mpi_link_event (
  seq bigserial primary key,
  patient_id text not null,
  person_id text,
  previous_person_id text,
  action text not null,
  kind text,
  probability double precision,
  evidence jsonb,
  actor text,
  at timestamptz not null default now()
);
create index mpi_link_event_patient on mpi_link_event (patient_id, seq);
create index mpi_link_event_person on mpi_link_event (person_id, seq);
create table mpi_review (
  id bigserial primary key,
  patient_id text not null,
  candidate_person_id text not null,
  candidate_patient_id text not null,
  probability double precision not null,
  weight double precision not null,
  evidence jsonb not null,
  status text not null default 'open',
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  decided_by text,
  note text
);
create index mpi_review_status on mpi_review (status, id);
create index mpi_review_patient on mpi_review (patient_id) where status = 'open';
create unique index mpi_review_open_pair on mpi_review (patient_id, candidate_person_id) where status = 'open';
create table mpi_nonmatch (
  patient_id text not null,
  person_id text not null,
  decided_by text,
  decided_at timestamptz not null default now(),
  primary key (patient_id, person_id)
);
create table mpi_merge (
  id bigserial primary key,
  source_person text not null,
  target_person text not null,
  patients text[] not null,
  actor text,
  at timestamptz not null default now(),
  undone_at timestamptz,
  undone_by text
);
create index mpi_merge_source on mpi_merge (source_person);
create table mpi_name_frequency (key text primary key, n int8 not null);
create table mpi_model (id int primary key, model jsonb not null, trained_at timestamptz not null default now());
`,
  },
  {
    version: 2,
    name: 'find-by-name',
    // The search box (Patient/$find-resident): names in characters and in pinyin/Latin forms.
    up: /* sql */ `
create index mpi_record_name_han on mpi_record using gin ((features->'name'->'han'));
create index mpi_record_name_forms on mpi_record using gin ((features->'name'->'forms'));
`,
  },
];
