import { randomBytes } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import type { Database } from '@yiyun/store';

type Sql = Database['sql'];

/** What an EHR launch hands to the app (SMART App Launch §"EHR launch": the `launch` parameter). */
export interface LaunchContext {
  readonly patient?: string;
  readonly encounter?: string;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * Opaque `launch` values in `smart_launch` (shared by replicas). The EHR creates one when the
 * clinician opens an app on a patient; the authorization request's `launch` resolves it.
 */
export class LaunchContextStore {
  private readonly sql: Sql;
  private readonly ttlSeconds: number;

  constructor(sql: Sql, ttlSeconds = 3600) {
    this.sql = sql;
    this.ttlSeconds = ttlSeconds;
  }

  async create(context: LaunchContext): Promise<string> {
    for (const id of [context.patient, context.encounter]) {
      if (id !== undefined && !ID.test(id))
        throw new AppError('invalid', 'Launch context ids must be FHIR ids');
    }
    const launch = randomBytes(24).toString('base64url');
    const expires = new Date(Date.now() + this.ttlSeconds * 1000);
    await this.sql`insert into smart_launch (id, patient, encounter, expires_at)
      values (${launch}, ${context.patient ?? null}, ${context.encounter ?? null}, ${expires})`;
    return launch;
  }

  async resolve(launch: string): Promise<LaunchContext | undefined> {
    const rows = await this.sql<{ patient: string | null; encounter: string | null }[]>`
      select patient, encounter from smart_launch where id = ${launch} and expires_at > now()`;
    const row = rows[0];
    if (!row) return undefined;
    return {
      ...(row.patient ? { patient: row.patient } : {}),
      ...(row.encounter ? { encounter: row.encounter } : {}),
    };
  }
}

export function isFhirId(value: string): boolean {
  return ID.test(value);
}
