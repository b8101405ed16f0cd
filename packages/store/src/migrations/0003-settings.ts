/** Platform-wide settings shared by every replica (e.g. the active custom SearchParameters). */
export const name = 'settings';

export const up = /* sql */ `
create table platform_setting (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
`;
