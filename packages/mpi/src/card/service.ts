/**
 * 居民健康卡 (resident health card): numbers issued to regional persons, looked up, revoked on loss,
 * and presented as a signed QR payload that a clinic verifies offline (docs/health-card.md).
 */
import { AppError, buildHealthCard, isValidHealthCard, normalizeHealthCard } from '@yiyun/fhir';
import { SignJWT } from 'jose';
import { CardKeyStore } from './keys.ts';
import {
  HEALTH_CARD_ALG,
  HEALTH_CARD_TYP,
  type HealthCardJwks,
  type HealthCardVerification,
  healthCardNameHash,
  verifyHealthCardOffline,
} from './payload.ts';
import { migrateHealthCards, type Sql } from './schema.ts';

export type HealthCardStatus = 'active' | 'revoked' | 'expired';

export interface HealthCard {
  readonly number: string;
  /** The regional person (golden record) the card belongs to. */
  readonly personId: string;
  readonly areaCode: string;
  readonly status: HealthCardStatus;
  readonly issuedAt: string;
  readonly expiresAt: string;
  /** Account that issued it. */
  readonly issuedBy: string;
  readonly revokedAt: string | null;
  readonly revokeReason: string | null;
  readonly revokedBy: string | null;
}

export interface HealthCardOptions {
  readonly sql: Sql;
  /** 32 bytes; encrypts the private signing keys at rest. The same on every replica. */
  readonly keyEncryptionKey: Uint8Array;
  /** `iss` of every QR payload, e.g. the platform's public URL. */
  readonly issuer: string;
  /** Default 6-digit area code (GB/T 2260) of new numbers. */
  readonly areaCode: string;
  /** A card is valid this many days from issue (default 3650). */
  readonly validityDays?: number;
  /** A QR payload is valid this long, never past the card's expiry (default 86 400 s). */
  readonly qrValiditySeconds?: number;
  readonly now?: () => Date;
}

export interface HealthCardService {
  /** Issues a new card; `conflict` while the person holds an active one (revoke it first). */
  issue(personId: string, actor: string, options?: { areaCode?: string }): Promise<HealthCard>;
  /** The card by number; `invalid` for a bad check digit, `not-found` when never issued. */
  lookup(number: string): Promise<HealthCard>;
  /** The person's unrevoked card (active or expired), if any. */
  currentCard(personId: string): Promise<HealthCard | undefined>;
  /** Every card the person has held, newest first. */
  cardsOf(personId: string): Promise<HealthCard[]>;
  /** Revokes the card (lost, stolen, damaged …); `conflict` when it already is. */
  revoke(number: string, reason: string, actor: string): Promise<HealthCard>;
  /** A compact JWS for the QR code of an active card; `nameText` is hashed, never included. */
  qrPayload(number: string, nameText: string): Promise<string>;
  /** Offline checks with the current JWKS, then revocation and existence in the registry. */
  verify(jws: string, options?: { name?: string }): Promise<HealthCardVerification>;
  /** The public keys a clinic needs for offline verification. */
  jwks(): Promise<HealthCardJwks>;
  /** A new signing key; retired keys stay published for `keepRetiredSeconds` (default: QR lifetime). */
  rotateKey(options?: { keepRetiredSeconds?: number }): Promise<string>;
}

interface CardRow {
  number: string;
  person_id: string;
  area_code: string;
  issued_at: Date;
  expires_at: Date;
  issued_by: string;
  revoked_at: Date | null;
  revoke_reason: string | null;
  revoked_by: string | null;
}

const DAY_MS = 86_400_000;
/** China Standard Time has no daylight saving: the issue year is the year in UTC+8. */
const CST_OFFSET_MS = 8 * 3_600_000;

function toCard(row: CardRow, now: Date): HealthCard {
  const status: HealthCardStatus = row.revoked_at
    ? 'revoked'
    : row.expires_at.getTime() <= now.getTime()
      ? 'expired'
      : 'active';
  return {
    number: row.number,
    personId: row.person_id,
    areaCode: row.area_code,
    status,
    issuedAt: row.issued_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    issuedBy: row.issued_by,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokeReason: row.revoke_reason,
    revokedBy: row.revoked_by,
  };
}

/** A card number as given: normalised, and `invalid` unless its check digit is right. */
export function parseCardNumber(input: unknown): string {
  const number = typeof input === 'string' ? normalizeHealthCard(input) : '';
  if (!isValidHealthCard(number))
    throw new AppError('invalid', 'Not a valid health card number (18 digits with a Luhn check digit)');
  return number;
}

function requireText(value: string, what: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw new AppError('invalid', `${what} is required`);
  if (text.length > max) throw new AppError('invalid', `${what} is longer than ${max} characters`);
  return text;
}

function checkOptions(
  options: HealthCardOptions,
): Required<Omit<HealthCardOptions, 'sql' | 'keyEncryptionKey'>> {
  const validityDays = options.validityDays ?? 3650;
  const qrValiditySeconds = options.qrValiditySeconds ?? 86_400;
  if (!/^\d{6}$/.test(options.areaCode)) throw new Error('areaCode must be 6 digits');
  if (!options.issuer) throw new Error('issuer is required');
  if (!Number.isInteger(validityDays) || validityDays < 1) throw new Error('validityDays must be ≥ 1');
  if (!Number.isInteger(qrValiditySeconds) || qrValiditySeconds < 60)
    throw new Error('qrValiditySeconds must be an integer ≥ 60');
  return {
    issuer: options.issuer,
    areaCode: options.areaCode,
    validityDays,
    qrValiditySeconds,
    now: options.now ?? (() => new Date()),
  };
}

type Config = ReturnType<typeof checkOptions>;

/** Migrates the module, makes sure a signing key exists, and returns the service. */
export async function openHealthCards(options: HealthCardOptions): Promise<HealthCardService> {
  const config = checkOptions(options);
  const keys = new CardKeyStore(options.sql, options.keyEncryptionKey);
  await migrateHealthCards(options.sql);
  await keys.ensure();
  return new PgHealthCards(options.sql, keys, config);
}

/** The service on PostgreSQL / PGlite: every replica on one database sees the same cards and keys. */
class PgHealthCards implements HealthCardService {
  readonly #sql: Sql;
  readonly #keys: CardKeyStore;
  readonly #config: Config;

  constructor(sql: Sql, keys: CardKeyStore, config: Config) {
    this.#sql = sql;
    this.#keys = keys;
    this.#config = config;
  }

  async issue(personId: string, actor: string, options: { areaCode?: string } = {}): Promise<HealthCard> {
    const person = requireText(personId, 'A person id', 200);
    const by = requireText(actor, 'The issuing account', 200);
    const areaCode = options.areaCode ?? this.#config.areaCode;
    if (!/^\d{6}$/.test(areaCode)) throw new AppError('invalid', 'An area code is 6 digits');
    const known = await this.#sql`select 1 from patient_person where person_id = ${person} limit 1`;
    if (known.length === 0) throw new AppError('not-found', 'No such person');
    const at = this.#config.now();
    const expires = new Date(at.getTime() + this.#config.validityDays * DAY_MS);
    const row = await this.#sql.begin(async (tx) => {
      // An expired card is closed when its successor is issued, so the one-current-card index holds.
      await tx`update health_card set revoked_at = ${at}, revoke_reason = 'expired', revoked_by = ${by}
        where person_id = ${person} and revoked_at is null and expires_at <= ${at}`;
      const [next] = await tx<{ serial: string }[]>`select nextval('health_card_serial')::text as serial`;
      const year = new Date(at.getTime() + CST_OFFSET_MS).getUTCFullYear();
      const number = buildHealthCard(areaCode, year, Number(next?.serial));
      const [inserted] = await tx<CardRow[]>`
        insert into health_card (number, person_id, area_code, issued_at, expires_at, issued_by)
        values (${number}, ${person}, ${areaCode}, ${at}, ${expires}, ${by})
        on conflict (person_id) where revoked_at is null do nothing
        returning *`;
      if (!inserted)
        throw new AppError(
          'conflict',
          'This person already holds an active health card: revoke it (for example as lost) before issuing another',
        );
      return inserted;
    });
    return toCard(row, at);
  }

  async lookup(number: string): Promise<HealthCard> {
    return this.#find(parseCardNumber(number));
  }

  async currentCard(personId: string): Promise<HealthCard | undefined> {
    const [row] = await this.#sql<CardRow[]>`
      select * from health_card where person_id = ${personId} and revoked_at is null`;
    return row ? toCard(row, this.#config.now()) : undefined;
  }

  async cardsOf(personId: string): Promise<HealthCard[]> {
    const rows = await this.#sql<CardRow[]>`
      select * from health_card where person_id = ${personId} order by issued_at desc, number desc`;
    const at = this.#config.now();
    return rows.map((r) => toCard(r, at));
  }

  async revoke(input: string, reason: string, actor: string): Promise<HealthCard> {
    const number = parseCardNumber(input);
    const why = requireText(reason, 'A revocation reason', 500);
    const by = requireText(actor, 'The revoking account', 200);
    const at = this.#config.now();
    const [row] = await this.#sql<CardRow[]>`
      update health_card set revoked_at = ${at}, revoke_reason = ${why}, revoked_by = ${by}
      where number = ${number} and revoked_at is null returning *`;
    if (row) return toCard(row, at);
    await this.#find(number); // not-found when it never existed
    throw new AppError('conflict', 'The health card is already revoked');
  }

  async qrPayload(input: string, nameText: string): Promise<string> {
    const card = await this.#find(parseCardNumber(input));
    if (card.status !== 'active') throw new AppError('conflict', `The health card is ${card.status}`);
    const nameHash = await healthCardNameHash(nameText);
    const at = Math.floor(this.#config.now().getTime() / 1000);
    const cardEnds = Math.floor(Date.parse(card.expiresAt) / 1000);
    const { kid, key } = await this.#keys.current();
    return new SignJWT({ card: card.number, name_sha256: nameHash })
      .setProtectedHeader({ alg: HEALTH_CARD_ALG, typ: HEALTH_CARD_TYP, kid })
      .setIssuer(this.#config.issuer)
      .setIssuedAt(at)
      .setExpirationTime(Math.min(at + this.#config.qrValiditySeconds, cardEnds))
      .sign(key);
  }

  async verify(jws: string, options: { name?: string } = {}): Promise<HealthCardVerification> {
    const offline = await verifyHealthCardOffline(jws, await this.#keys.jwks(), {
      issuer: this.#config.issuer,
      now: this.#config.now(),
      ...(options.name === undefined ? {} : { name: options.name }),
    });
    if (!offline.valid) return offline;
    const [row] = await this.#sql<
      CardRow[]
    >`select revoked_at from health_card where number = ${offline.card}`;
    if (!row) return { valid: false, reason: 'unknown-card' };
    if (row.revoked_at) return { valid: false, reason: 'revoked' };
    return offline;
  }

  jwks(): Promise<HealthCardJwks> {
    return this.#keys.jwks();
  }

  rotateKey(options: { keepRetiredSeconds?: number } = {}): Promise<string> {
    return this.#keys.rotate(options.keepRetiredSeconds ?? this.#config.qrValiditySeconds);
  }

  async #find(number: string): Promise<HealthCard> {
    const [row] = await this.#sql<CardRow[]>`select * from health_card where number = ${number}`;
    if (!row) throw new AppError('not-found', 'No such health card');
    return toCard(row, this.#config.now());
  }
}
