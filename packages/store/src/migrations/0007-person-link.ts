/**
 * The resident registry takes over the person link (issue #5; docs/decisions/0005-resident-registry.md):
 * `patient_person` becomes one row per Patient, written only by the registry's linker (a record's
 * link survives its updates), and `resource_change` is the durable queue of Patient writes the
 * linker drains — inserted in the same transaction as the write, so no change is ever lost.
 * Every existing Patient is queued once so the registry links what was stored before it existed.
 */
export const name = 'person-link';

export const up = /* sql */ `
create table resource_change (
  seq bigserial primary key,
  rid int8 not null,
  type text not null,
  at timestamptz not null default now()
);
create index resource_change_type on resource_change (type, seq);
insert into resource_change (rid, type) select rid, type from resource where type = 'Patient';

alter table patient_person drop constraint patient_person_pkey;
alter table patient_person drop column rid;
delete from patient_person a using patient_person b where a.ctid < b.ctid and a.patient_id = b.patient_id;
drop index patient_person_patient;
alter table patient_person add primary key (patient_id);
`;
