import { AppError } from '@yiyun/fhir';
import { asQueryable, type Database } from '@yiyun/store';

/**
 * Tele-consultation sharing (影像会诊, issue #6 scope 7): the institution holding a study grants
 * another institution access to it until `expiresAt`. The grant widens only QIDO/WADO/C-FIND/
 * C-MOVE visibility of that one study (see query/visibility.ts); it can be revoked at any time.
 */
export interface ShareGrant {
  readonly study: string;
  /** The grantee institution (Organization id). */
  readonly organization: string;
  /** The granting institution: must hold (be custodian of) the study. */
  readonly grantedBy: string;
  /** Account or system that granted it, for the audit trail. */
  readonly actor?: string;
  readonly reason: string;
  readonly expiresAt: Date;
}

/** Grants (or renews) a share. A study the granting institution does not hold is `not-found`. */
export async function shareStudy(sql: Database['sql'], grant: ShareGrant, now = new Date()): Promise<void> {
  if (!grant.reason.trim()) throw new AppError('invalid', 'A share needs a reason');
  if (!(grant.expiresAt.getTime() > now.getTime()))
    throw new AppError('invalid', 'A share must expire in the future');
  if (grant.organization === grant.grantedBy)
    throw new AppError('invalid', 'An institution cannot share with itself');
  const rows = await asQueryable(sql).unsafe<{ one: number }[]>(
    `insert into imaging_share as t (study_uid, organization, granted_by, actor, reason, expires_at)
     select $1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz
     where exists (select 1 from imaging_study where study_uid = $1::text and custodian = $3::text)
     on conflict (study_uid, organization) do update set granted_by = excluded.granted_by, actor = excluded.actor,
       reason = excluded.reason, granted_at = now(), expires_at = excluded.expires_at, revoked_at = null,
       revoked_by = null
     returning 1 as one`,
    [
      grant.study,
      grant.organization,
      grant.grantedBy,
      grant.actor ?? null,
      grant.reason,
      grant.expiresAt.toISOString(),
    ],
  );
  if (rows.length === 0) throw new AppError('not-found', `Study ${grant.study} not found`);
}

export interface ShareRevocation {
  readonly study: string;
  readonly organization: string;
  /** The institution revoking: must hold the study. */
  readonly revokedBy: string;
  readonly actor?: string;
}

/** Revokes an active share; false when there was none (idempotent). */
export async function revokeShare(sql: Database['sql'], revocation: ShareRevocation): Promise<boolean> {
  const rows = await asQueryable(sql).unsafe<{ one: number }[]>(
    `update imaging_share set revoked_at = now(), revoked_by = $4::text
     where study_uid = $1::text and organization = $2::text and revoked_at is null
       and exists (select 1 from imaging_study where study_uid = $1::text and custodian = $3::text)
     returning 1 as one`,
    [
      revocation.study,
      revocation.organization,
      revocation.revokedBy,
      revocation.actor ?? revocation.revokedBy,
    ],
  );
  return rows.length > 0;
}
