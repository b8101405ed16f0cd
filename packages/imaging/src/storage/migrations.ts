import type { Migration } from '@yiyun/store';

/**
 * The image store's catalog (module `imaging-storage`; docs/decisions/0006-image-storage.md): one
 * row per stored object, saying where its copies are and how to open them. The catalog, not the
 * backends, is the truth about placement, so any server replica sharing the database can read,
 * repair, move or delete any object.
 */
export const IMAGE_STORAGE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'catalog',
    up: /* sql */ `
create table image_object (
  key text primary key,
  study_uid text not null,
  -- Versioned (content-addressed) name of the stored bytes in every backend: an overwrite writes a
  -- new blob and never touches the copies of the old one before the new ones are durable.
  blob_key text not null,
  plain_size int8 not null,
  stored_size int8 not null,
  -- SHA-256 of the stored (sealed) bytes: the same on every copy, checked on whole reads and by scrub.
  sha256 bytea not null,
  cipher_suite text not null,
  master_key_id text not null,
  wrapped_key bytea not null,
  -- Names of the backends holding a verified-at-write copy.
  copies text[] not null,
  -- 'hot': a hot copy is wanted; 'cold': the lifecycle evicted it (only cold copies count).
  tier text not null default 'hot',
  created_at timestamptz not null,
  last_access_at timestamptz not null,
  -- A lifecycle worker moving the object holds it until then (two replicas never move one object).
  lease_until timestamptz,
  -- The blob an overwrite replaced, until its copies are deleted (crash-safe clean-up by scrub).
  replaced_blob_key text,
  replaced_copies text[]
);
create index image_object_study on image_object (study_uid);
create index image_object_last_access on image_object (last_access_at);
create index image_object_replaced on image_object (key) where replaced_blob_key is not null;
-- Copies of removed objects a backend could not delete at the time; scrub retries them.
create table image_object_garbage (
  blob_key text not null,
  backend text not null,
  since timestamptz not null default now(),
  primary key (blob_key, backend)
);
`,
  },
];
