import type { Migration } from '@yiyun/store';

/**
 * The DICOM index (module `imaging-index`; issue #6 scope 3): study, series and instance rows for
 * QIDO-RS / C-FIND matching and WADO-RS metadata, and tele-consultation shares (scope 7).
 *
 * - A study row carries the access facts the store's `accessPredicate` reads (`patient_id` = the
 *   FHIR Patient, `custodian` = the sending Organization, `labels` = its ImagingStudy's sensitivity
 *   labels), so that every query is filtered in SQL exactly like a FHIR search.
 * - Name, PatientID and accession columns use collation "C" so that a wildcard prefix compiles to a
 *   btree range (`col >= 'wang' and col < 'wanh'`) that works with generic (prepared) plans too.
 * - `version` counts changes of the study; `fhir_version` is the version its ImagingStudy shows.
 */
export const IMAGING_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'index',
    up: /* sql */ `
create table imaging_study (
  study_uid text collate "C" primary key,
  custodian text not null,
  patient_id text not null,
  labels text[],
  imaging_study_id text,
  dicom_patient_id text collate "C",
  issuer text,
  pn_alpha text collate "C",
  pn_ideo text collate "C",
  pn_phon text collate "C",
  pn_fuzzy text,
  birth_date date,
  sex text,
  study_date date,
  study_time time,
  accession text collate "C",
  study_id text collate "C",
  description text,
  referring_pn text[],
  modalities text[] not null default '{}',
  num_series integer not null default 0,
  num_instances integer not null default 0,
  attributes jsonb not null,
  version integer not null default 1,
  fhir_version integer not null default 0,
  fhir_synced_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index imaging_study_pid on imaging_study (dicom_patient_id);
create index imaging_study_date on imaging_study (study_date desc nulls last, study_time desc nulls last, study_uid);
create index imaging_study_custodian on imaging_study (custodian, study_date desc nulls last);
create index imaging_study_patient on imaging_study (patient_id);
create index imaging_study_pn_alpha on imaging_study (pn_alpha);
create index imaging_study_pn_ideo on imaging_study (pn_ideo);
create index imaging_study_pn_phon on imaging_study (pn_phon) where pn_phon is not null;
create index imaging_study_accession on imaging_study (accession);
create index imaging_study_modalities on imaging_study using gin (modalities);
create index imaging_study_fhir on imaging_study (study_uid) where fhir_version < version;

create table imaging_series (
  series_uid text collate "C" primary key,
  study_uid text collate "C" not null references imaging_study (study_uid) on delete cascade,
  modality text,
  series_number integer,
  description text,
  series_date date,
  series_time time,
  pps_date date,
  pps_time time,
  num_instances integer not null default 0,
  attributes jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index imaging_series_study on imaging_series (study_uid, series_number);
create index imaging_series_modality on imaging_series (modality);

create table imaging_instance (
  sop_uid text collate "C" primary key,
  series_uid text collate "C" not null references imaging_series (series_uid) on delete cascade,
  study_uid text collate "C" not null,
  sop_class text collate "C" not null,
  transfer_syntax text not null,
  instance_number integer,
  number_of_frames integer not null default 1,
  pixel_rows integer,
  pixel_columns integer,
  acquisition_datetime timestamp,
  blob_key text not null,
  size bigint not null,
  digest bytea not null,
  metadata jsonb not null,
  bulk jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index imaging_instance_series on imaging_instance (series_uid, instance_number);
create index imaging_instance_study on imaging_instance (study_uid);

create table imaging_share (
  study_uid text collate "C" not null references imaging_study (study_uid) on delete cascade,
  organization text not null,
  granted_by text not null,
  actor text,
  reason text not null,
  granted_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by text,
  primary key (study_uid, organization)
);
create index imaging_share_grantee on imaging_share (organization, expires_at);
`,
  },
];
