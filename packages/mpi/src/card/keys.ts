import { randomBytes } from 'node:crypto';
import {
  CompactEncrypt,
  compactDecrypt,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { HEALTH_CARD_ALG } from './payload.ts';
import type { Sql } from './schema.ts';

/** Arbitrary constant: serialises key creation and rotation across replicas. */
const KEY_LOCK = 720_190_501;

export interface CardSigningKey {
  readonly kid: string;
  readonly key: CryptoKey;
}

/**
 * The card-signing keys in `health_card_key` (ES256), private halves encrypted with the
 * key-encryption key (JWE `dir` + A256GCM, RFC 7516), as auth's token-signing keys are. The newest
 * unretired key signs; retired keys stay published until every payload they signed has expired.
 */
export class CardKeyStore {
  readonly #sql: Sql;
  readonly #kek: Uint8Array;
  /** Decrypted private keys by kid (per instance; the database says which one signs). */
  readonly #cache = new Map<string, Promise<CryptoKey>>();

  constructor(sql: Sql, keyEncryptionKey: Uint8Array) {
    if (keyEncryptionKey.length !== 32) throw new Error('keyEncryptionKey must be 32 bytes');
    this.#sql = sql;
    this.#kek = keyEncryptionKey;
  }

  /** Creates the first key when there is none (safe from several replicas at once). */
  async ensure(): Promise<void> {
    await this.#sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${KEY_LOCK})`;
      const rows = await tx`select 1 from health_card_key where retired_at is null limit 1`;
      if (rows.length === 0) await this.#insertNew(tx as unknown as Sql);
    });
  }

  /**
   * A new key signs from now on; the previous ones are retired, and retired keys older than
   * `keepRetiredSeconds` (at least the longest payload lifetime) are deleted. Returns the new kid.
   */
  async rotate(keepRetiredSeconds: number): Promise<string> {
    return this.#sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${KEY_LOCK})`;
      await tx`update health_card_key set retired_at = now() where retired_at is null`;
      await tx`delete from health_card_key
        where retired_at < now() - make_interval(secs => ${keepRetiredSeconds})`;
      return this.#insertNew(tx as unknown as Sql);
    });
  }

  /** The key that signs now; read from the database each time, so another replica's rotation counts. */
  async current(): Promise<CardSigningKey> {
    let [row] = await this.#current();
    if (!row) {
      await this.ensure();
      [row] = await this.#current();
    }
    if (!row) throw new Error('No health card signing key');
    let key = this.#cache.get(row.kid);
    if (!key) {
      key = this.#decrypt(row.private_jwe);
      this.#cache.set(row.kid, key);
      key.catch(() => this.#cache.delete(row.kid));
    }
    return { kid: row.kid, key: await key };
  }

  /** Every published public key, newest first (RFC 7517 §5). */
  async jwks(): Promise<JSONWebKeySet> {
    const rows = await this.#sql<{ public_jwk: JWK }[]>`
      select public_jwk from health_card_key order by created_at desc, kid`;
    return { keys: rows.map((r) => r.public_jwk) };
  }

  #current() {
    return this.#sql<{ kid: string; private_jwe: string }[]>`
      select kid, private_jwe from health_card_key where retired_at is null
      order by created_at desc, kid limit 1`;
  }

  async #decrypt(jwe: string): Promise<CryptoKey> {
    let jwk: JWK;
    try {
      jwk = JSON.parse(new TextDecoder().decode((await compactDecrypt(jwe, this.#kek)).plaintext)) as JWK;
    } catch {
      // The usual cause: replicas on one database that do not share the platform master key.
      throw new Error(
        'Cannot decrypt the health card signing keys stored in the database: every server on one ' +
          'database needs the same key-encryption key',
      );
    }
    return (await importJWK(jwk, HEALTH_CARD_ALG)) as CryptoKey;
  }

  async #insertNew(tx: Sql): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(HEALTH_CARD_ALG, { extractable: true });
    // A short random kid: it travels in every QR code.
    const kid = randomBytes(9).toString('base64url');
    const meta = { kid, alg: HEALTH_CARD_ALG, use: 'sig' };
    const publicJwk = { ...(await exportJWK(publicKey)), ...meta };
    const privateJwk = { ...(await exportJWK(privateKey)), ...meta };
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(privateJwk)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(this.#kek);
    await tx`insert into health_card_key (kid, alg, public_jwk, private_jwe)
      values (${kid}, ${HEALTH_CARD_ALG}, ${tx.json(publicJwk as never)}, ${jwe})`;
    return kid;
  }
}
