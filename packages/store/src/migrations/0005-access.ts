/**
 * Access control compiled into SQL (issue #4; docs/decisions/0004-access-control.md): the
 * custodian institution, compartment patient and sensitivity labels of every resource as columns,
 * and the derived tables the access predicate joins: which regional person a Patient record belongs
 * to, care relationships, consent directives and break-the-glass grants.
 */
export const name = 'access';

export const up = /* sql */ `
alter table resource add column custodian text, add column patient_id text, add column labels text[];
create index resource_patient on resource (patient_id) where patient_id is not null;

create table patient_person (
  rid bigint primary key,
  patient_id text not null,
  person_id text not null
);
create index patient_person_patient on patient_person (patient_id);
create index patient_person_person on patient_person (person_id);

create table care_relation (
  rid bigint not null,
  patient_id text not null,
  organization text not null,
  ends_at timestamptz not null
);
create index care_relation_rid on care_relation (rid);
create index care_relation_patient on care_relation (patient_id, organization, ends_at);

create table consent_directive (
  rid bigint primary key,
  patient_id text not null,
  date timestamptz not null,
  share boolean not null,
  permit_labels text[] not null
);
create index consent_directive_patient on consent_directive (patient_id, date);

create table break_glass (
  id uuid primary key,
  account text not null,
  organization text,
  patient_id text not null,
  person_id text not null,
  reason text not null,
  started_at timestamptz not null default now(),
  expires_at timestamptz not null,
  reviewed_at timestamptz,
  reviewed_by text,
  review_note text
);
create index break_glass_active on break_glass (account, person_id, expires_at);
create index break_glass_review on break_glass (organization, reviewed_at, started_at);
`;
