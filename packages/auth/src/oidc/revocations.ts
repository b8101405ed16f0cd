import type { Sql } from './sql.ts';

interface RevocationRow {
  kind: 'token' | 'grant';
  value: string;
  expires_at: Date;
}

/**
 * Revoked access-token ids (`jti`) and ended grants, shared by every replica through
 * `oidc_revocation` and mirrored in memory so a token check is a Set lookup, not a query.
 * Each replica re-reads the rows recorded in the last `windowSeconds` once per `pollMs`: reading by
 * time rather than by sequence number cannot miss a row whose transaction committed late.
 */
export class RevocationList {
  private readonly tokens = new Map<string, number>();
  private readonly grants = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastSweep = 0;

  private readonly sql: Sql;
  private readonly options: { pollMs: number; windowSeconds: number; now: () => number };

  constructor(sql: Sql, options: { pollMs: number; windowSeconds: number; now: () => number }) {
    this.sql = sql;
    this.options = options;
  }

  /** Loads every unexpired revocation, then follows new ones. */
  async start(): Promise<void> {
    await this.load(`expires_at > now()`);
    if (this.options.pollMs > 0) {
      this.timer = setInterval(() => void this.poll().catch(() => {}), this.options.pollMs);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  isRevoked(jti: string | undefined, grantId: string | undefined): boolean {
    return (jti !== undefined && this.tokens.has(jti)) || (grantId !== undefined && this.grants.has(grantId));
  }

  async revokeToken(jti: string, expiresAtSeconds: number): Promise<void> {
    const expires = new Date(expiresAtSeconds * 1000);
    await this
      .sql`insert into oidc_revocation (kind, value, expires_at) values ('token', ${jti}, ${expires})`;
    this.tokens.set(jti, expires.getTime());
  }

  /** Every access token of the grant issued so far expires within `ttlSeconds`. */
  async revokeGrant(grantId: string, ttlSeconds: number): Promise<void> {
    const expires = new Date(Date.now() + (ttlSeconds + 60) * 1000);
    await this
      .sql`insert into oidc_revocation (kind, value, expires_at) values ('grant', ${grantId}, ${expires})`;
    this.grants.set(grantId, expires.getTime());
  }

  /** One poll: recent rows from every replica, forget expired entries, sweep old rows now and then. */
  async poll(): Promise<void> {
    await this.load(`recorded_at > now() - make_interval(secs => ${Math.ceil(this.options.windowSeconds)})`);
    const now = this.options.now();
    for (const map of [this.tokens, this.grants]) {
      for (const [value, expires] of map) if (expires < now - 60_000) map.delete(value);
    }
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      await this.sql`delete from oidc_revocation where expires_at < now() - interval '5 minutes'`;
      await this.sql`delete from oidc_payload where expires_at < now() - interval '1 hour'`;
    }
  }

  private async load(where: string): Promise<void> {
    const rows = await this.sql.unsafe<RevocationRow[]>(
      `select kind, value, expires_at from oidc_revocation where ${where}`,
    );
    for (const row of rows) {
      (row.kind === 'token' ? this.tokens : this.grants).set(row.value, row.expires_at.getTime());
    }
  }
}
