import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { RevocationList } from './revocations.ts';
import type { Sql } from './sql.ts';

interface Row {
  payload: AdapterPayload;
  consumed_at: Date | null;
}

/**
 * oidc-provider's storage contract (https://github.com/panva/node-oidc-provider/blob/main/example/my_adapter.js)
 * on one table, `oidc_payload`, keyed by (model, id). Expired rows are invisible and swept lazily.
 * JWT access tokens are never stored (RFC 9068), so revoking a grant also records it in the
 * revocation list that every replica's verifier reads.
 */
export function pgAdapterFactory(sql: Sql, revocations: RevocationList, accessTokenTtlSeconds: number) {
  return (model: string): Adapter => new PgOidcAdapter(sql, model, revocations, accessTokenTtlSeconds);
}

class PgOidcAdapter implements Adapter {
  private readonly sql: Sql;
  private readonly model: string;
  private readonly revocations: RevocationList;
  private readonly accessTokenTtlSeconds: number;

  constructor(sql: Sql, model: string, revocations: RevocationList, accessTokenTtlSeconds: number) {
    this.sql = sql;
    this.model = model;
    this.revocations = revocations;
    this.accessTokenTtlSeconds = accessTokenTtlSeconds;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expires = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
    await this.sql`
      insert into oidc_payload (model, id, payload, grant_id, user_code, uid, expires_at)
      values (${this.model}, ${id}, ${this.sql.json(payload as never)}, ${payload.grantId ?? null},
              ${payload.userCode ?? null}, ${payload.uid ?? null}, ${expires})
      on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id,
        user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`;
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findBy('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findBy('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findBy('user_code', userCode);
  }

  private async findBy(
    column: 'id' | 'uid' | 'user_code',
    value: string,
  ): Promise<AdapterPayload | undefined> {
    const rows = await this.sql<Row[]>`
      select payload, consumed_at from oidc_payload
      where model = ${this.model} and ${this.sql(column)} = ${value}
        and (expires_at is null or expires_at > now())
      limit 1`;
    const row = rows[0];
    if (!row) return undefined;
    return row.consumed_at
      ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) }
      : row.payload;
  }

  async consume(id: string): Promise<void> {
    await this.sql`update oidc_payload set consumed_at = now() where model = ${this.model} and id = ${id}`;
  }

  async destroy(id: string): Promise<void> {
    await this.sql`delete from oidc_payload where model = ${this.model} and id = ${id}`;
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.sql`delete from oidc_payload where model = ${this.model} and grant_id = ${grantId}`;
    // oidc-provider calls this once per token model; the AccessToken call stands for the grant.
    if (this.model === 'AccessToken') {
      await this.revocations.revokeGrant(grantId, this.accessTokenTtlSeconds);
    }
  }
}
