import type { Sql } from './sql.ts';

export interface GrantContext {
  readonly patient?: string;
  readonly encounter?: string;
}

/** SMART launch context per grant (`oidc_grant_context`): read when tokens of the grant are issued. */
export class GrantContextStore {
  private readonly sql: Sql;
  private readonly ttlSeconds: number;

  constructor(sql: Sql, ttlSeconds: number) {
    this.sql = sql;
    this.ttlSeconds = ttlSeconds;
  }

  async save(grantId: string, context: GrantContext): Promise<void> {
    const expires = new Date(Date.now() + this.ttlSeconds * 1000);
    await this.sql`
      insert into oidc_grant_context (grant_id, patient, encounter, expires_at)
      values (${grantId}, ${context.patient ?? null}, ${context.encounter ?? null}, ${expires})
      on conflict (grant_id) do update set patient = excluded.patient, encounter = excluded.encounter,
        expires_at = excluded.expires_at`;
  }

  async find(grantId: string): Promise<GrantContext> {
    const rows = await this.sql<{ patient: string | null; encounter: string | null }[]>`
      select patient, encounter from oidc_grant_context where grant_id = ${grantId}`;
    const row = rows[0];
    return {
      ...(row?.patient ? { patient: row.patient } : {}),
      ...(row?.encounter ? { encounter: row.encounter } : {}),
    };
  }
}
