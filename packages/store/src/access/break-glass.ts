import { randomUUID } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import type { Queryable } from '../sql/connect.ts';

/** A break-the-glass grant (紧急授权): emergency access to one resident's whole record, time-limited. */
export interface BreakGlassGrant {
  readonly id: string;
  readonly account: string;
  readonly organization: string | null;
  readonly patientId: string;
  readonly reason: string;
  readonly startedAt: string;
  readonly expiresAt: string;
  readonly reviewedAt: string | null;
  readonly reviewedBy: string | null;
  readonly reviewNote: string | null;
}

interface GrantRow {
  id: string;
  account: string;
  organization: string | null;
  patient_id: string;
  reason: string;
  started_at: Date;
  expires_at: Date;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_note: string | null;
}

const COLUMNS =
  'id, account, organization, patient_id, reason, started_at, expires_at, reviewed_at, reviewed_by, review_note';

function toGrant(row: GrantRow): BreakGlassGrant {
  return {
    id: row.id,
    account: row.account,
    organization: row.organization,
    patientId: row.patient_id,
    reason: row.reason,
    startedAt: row.started_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    reviewedBy: row.reviewed_by,
    reviewNote: row.review_note,
  };
}

/** Break-the-glass grants: declared by a clinician, enforced by the access predicate, reviewed by an admin. */
export class BreakGlassStore {
  readonly #q: Queryable;

  constructor(q: Queryable) {
    this.#q = q;
  }

  /** Grants `account` access to every record of the resident `patientId` belongs to, for `minutes`. */
  async declare(input: {
    account: string;
    organization?: string;
    patientId: string;
    reason: string;
    minutes: number;
  }): Promise<BreakGlassGrant> {
    const reason = input.reason.trim();
    if (reason.length < 4)
      throw new AppError('invalid', 'A break-the-glass reason of at least 4 characters is required');
    if (reason.length > 1000) throw new AppError('invalid', 'The reason is longer than 1000 characters');
    if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > 24 * 60)
      throw new AppError('invalid', 'Break-the-glass lasts 1 to 1440 minutes');
    const rows = await this.#q.unsafe<GrantRow[]>(
      `insert into break_glass (id, account, organization, patient_id, person_id, reason, expires_at)
       select $1::uuid, $2::text, $3::text, pp.patient_id, pp.person_id, $5::text,
              now() + make_interval(mins => $6::int4)
       from patient_person pp where pp.patient_id = $4::text
       returning ${COLUMNS}`,
      [randomUUID(), input.account, input.organization ?? null, input.patientId, reason, input.minutes],
    );
    if (!rows[0]) throw new AppError('not-found', `Patient/${input.patientId} not found`);
    return toGrant(rows[0]);
  }

  /** Grants declared at an institution, unreviewed first, newest first. */
  async list(options: {
    organization?: string;
    unreviewedOnly?: boolean;
    limit?: number;
  }): Promise<BreakGlassGrant[]> {
    const rows = await this.#q.unsafe<GrantRow[]>(
      `select ${COLUMNS} from break_glass
       where ($1::text is null or organization = $1::text) and (not $2::bool or reviewed_at is null)
       order by reviewed_at is not null, started_at desc limit $3::int4`,
      [options.organization ?? null, options.unreviewedOnly ?? false, options.limit ?? 100],
    );
    return rows.map(toGrant);
  }

  /** Records an administrator's review of a grant (it stays in force until it expires). */
  async review(
    id: string,
    input: { reviewer: string; note?: string; organization?: string },
  ): Promise<BreakGlassGrant> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not-found', 'No such break-the-glass grant');
    const rows = await this.#q.unsafe<GrantRow[]>(
      `update break_glass set reviewed_at = now(), reviewed_by = $2::text, review_note = $3::text
       where id = $1::uuid and ($4::text is null or organization = $4::text) returning ${COLUMNS}`,
      [id, input.reviewer, input.note ?? null, input.organization ?? null],
    );
    if (!rows[0]) throw new AppError('not-found', 'No such break-the-glass grant');
    return toGrant(rows[0]);
  }
}
