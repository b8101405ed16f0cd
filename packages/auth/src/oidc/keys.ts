import { randomUUID } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Sql } from './sql.ts';

/** The one algorithm the provider signs with (OIDC Core §15.1 mandates RS256 support). */
export const SIGNING_ALG = 'RS256';

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
}

interface KeyRow {
  kid: string;
  alg: string;
  public_jwk: JWK;
  private_jwe: string;
  created_at: Date;
  retired_at: Date | null;
}

/** Arbitrary constant: serialises key creation and rotation across replicas. */
const KEY_LOCK = 720_190_404;

/**
 * Signing keys in `oidc_signing_key`, private halves encrypted (JWE `dir` + A256GCM, RFC 7516)
 * with the key-encryption key from configuration. Newest first: the first key signs, the others
 * stay published in the JWKS until every token they signed has expired.
 */
export class SigningKeyStore {
  private readonly sql: Sql;
  private readonly keyEncryptionKey: Uint8Array;

  constructor(sql: Sql, keyEncryptionKey: Uint8Array) {
    this.sql = sql;
    this.keyEncryptionKey = keyEncryptionKey;
    if (keyEncryptionKey.length !== 32) throw new Error('keyEncryptionKey must be 32 bytes');
  }

  /** Creates the first key when there is none (safe from several replicas at once). */
  async ensure(): Promise<void> {
    await this.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${KEY_LOCK})`;
      const rows = await tx`select 1 from oidc_signing_key where retired_at is null limit 1`;
      if (rows.length === 0) await this.insertNew(tx as unknown as Sql);
    });
  }

  /**
   * Rotation: a new key signs from now on; the previous ones are retired and deleted once
   * `keepRetiredSeconds` (the longest token lifetime) has passed.
   */
  async rotate(keepRetiredSeconds: number): Promise<string> {
    return this.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${KEY_LOCK})`;
      await tx`update oidc_signing_key set retired_at = now() where retired_at is null`;
      await tx`delete from oidc_signing_key
        where retired_at < now() - make_interval(secs => ${keepRetiredSeconds})`;
      return this.insertNew(tx as unknown as Sql);
    });
  }

  /** Every published key, newest first, decrypted. */
  async load(): Promise<SigningKey[]> {
    const rows = await this.sql<KeyRow[]>`
      select kid, alg, public_jwk, private_jwe, created_at, retired_at
      from oidc_signing_key order by created_at desc, kid`;
    return Promise.all(
      rows.map(async (row) => ({
        kid: row.kid,
        alg: row.alg,
        publicJwk: row.public_jwk,
        privateJwk: await this.#decrypt(row.private_jwe),
        createdAt: row.created_at,
        retiredAt: row.retired_at,
      })),
    );
  }

  async #decrypt(jwe: string): Promise<JWK> {
    try {
      return JSON.parse(
        new TextDecoder().decode((await compactDecrypt(jwe, this.keyEncryptionKey)).plaintext),
      ) as JWK;
    } catch {
      // The usual cause: replicas on one database that do not share the platform master key.
      throw new Error(
        'Cannot decrypt the token-signing keys stored in the database: every server on one database ' +
          'needs the same master key (YIYUN_MASTER_KEY)',
      );
    }
  }

  /** A cheap fingerprint of the key set, polled to notice another replica's rotation. */
  async version(): Promise<string> {
    const rows = await this.sql<{ v: string | null }[]>`
      select string_agg(kid || ':' || coalesce(retired_at::text, ''), ',' order by kid) as v
      from oidc_signing_key`;
    return rows[0]?.v ?? '';
  }

  private async insertNew(tx: Sql): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, {
      extractable: true,
      modulusLength: 2048,
    });
    const kid = randomUUID();
    const meta = { kid, alg: SIGNING_ALG, use: 'sig' };
    const publicJwk = { ...(await exportJWK(publicKey)), ...meta };
    const privateJwk = { ...(await exportJWK(privateKey)), ...meta };
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(privateJwk)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(this.keyEncryptionKey);
    await tx`insert into oidc_signing_key (kid, alg, public_jwk, private_jwe)
      values (${kid}, ${SIGNING_ALG}, ${tx.json(publicJwk as never)}, ${jwe})`;
    return kid;
  }
}
