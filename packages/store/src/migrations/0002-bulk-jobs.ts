/** Durable asynchronous jobs (bulk export/import, reindex): any replica may run or report them. */
export const name = 'bulk-jobs';

export const up = /* sql */ `
create table job (
  id uuid primary key,
  kind text not null,
  status text not null check (status in ('queued', 'running', 'completed', 'failed', 'cancelled')),
  request jsonb not null,
  progress jsonb,
  result jsonb,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  heartbeat_at timestamptz
);
create index job_claim on job (status, created_at) where status in ('queued', 'running');
`;
