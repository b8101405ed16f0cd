/**
 * The signed QR payload of a resident health card and its offline verification (docs/health-card.md).
 * A compact JWS (RFC 7515) whose payload is a JWT claims set (RFC 7519), ES256 (RFC 7518 §3.4) to keep
 * the QR small, explicitly typed (RFC 8725 §3.11) so that no other token of the platform passes for it.
 * Only `jose` and WebCrypto: a clinic can run this with nothing but the published JWKS.
 */
import { AppError, isValidHealthCard } from '@yiyun/fhir';
import { base64url, createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from 'jose';

export const HEALTH_CARD_ALG = 'ES256';
/** The JOSE `typ` header of a health-card QR payload. */
export const HEALTH_CARD_TYP = 'health-card+jwt';
/** Longer than any payload we sign (~330 characters): refuse oversized input before parsing it. */
const MAX_PAYLOAD_CHARS = 2048;
const NAME_HASH = /^[A-Za-z0-9_-]{43}$/;

/** The published public keys (RFC 7517 §5), as `/health-card/jwks.json` serves them. */
export type HealthCardJwks = JSONWebKeySet;

/** The claims of a QR payload. */
export interface HealthCardClaims {
  readonly iss: string;
  /** The 18-digit card number. */
  readonly card: string;
  /** base64url SHA-256 of the normalised name text (see `healthCardNameHash`). */
  readonly name_sha256: string;
  readonly iat: number;
  readonly exp: number;
}

export type HealthCardInvalidReason =
  | 'malformed'
  | 'bad-signature'
  | 'unknown-key'
  | 'wrong-issuer'
  | 'not-yet-valid'
  | 'expired'
  /** Online only: the number is not in the registry. */
  | 'unknown-card'
  /** Online only: the card was revoked (lost, replaced …). */
  | 'revoked';

export type HealthCardVerification =
  | {
      readonly valid: true;
      readonly card: string;
      readonly nameHash: string;
      readonly issuer: string;
      readonly kid: string;
      readonly issuedAt: Date;
      readonly expiresAt: Date;
      /** Present when a name was given to compare with. */
      readonly nameMatches?: boolean;
    }
  | { readonly valid: false; readonly reason: HealthCardInvalidReason };

export interface OfflineVerifyOptions {
  /** Accept only payloads of this issuer (recommended). */
  readonly issuer?: string;
  /** The name of the person in front of the clinic, to compare with the payload's name hash. */
  readonly name?: string;
  /** The verifier's clock (default: now). */
  readonly now?: Date;
  /** Clock skew tolerated between the signer and the verifier (default 60 s). */
  readonly clockToleranceSeconds?: number;
}

/** The name text as hashed: Unicode NFC, runs of white space as one space, trimmed. */
export function normalizeNameText(nameText: string): string {
  return nameText.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** base64url(SHA-256(UTF-8(normalised name))). Throws AppError('invalid') for an empty name. */
export async function healthCardNameHash(nameText: string): Promise<string> {
  const text = normalizeNameText(nameText);
  if (!text) throw new AppError('invalid', 'A name is required');
  if (text.length > 200) throw new AppError('invalid', 'The name is longer than 200 characters');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return base64url.encode(new Uint8Array(digest));
}

const invalid = (reason: HealthCardInvalidReason): HealthCardVerification => ({ valid: false, reason });

function reasonOf(err: unknown): HealthCardInvalidReason {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown-key';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return 'wrong-issuer';
    if (err.claim === 'nbf' || err.claim === 'iat') return 'not-yet-valid';
  }
  return 'malformed';
}

/**
 * Verifies a QR payload with the published JWKS only (no database, no network): signature by a
 * published key, explicit type, issuer, issue time and expiry, and the card number's check digit.
 * Revocation cannot be seen offline: a payload's short lifetime bounds how long a lost card's
 * last payload stays usable (see docs/health-card.md). Never throws for a bad payload.
 */
export async function verifyHealthCardOffline(
  jws: string,
  jwks: HealthCardJwks,
  options: OfflineVerifyOptions = {},
): Promise<HealthCardVerification> {
  if (typeof jws !== 'string' || jws.length > MAX_PAYLOAD_CHARS) return invalid('malformed');
  const now = options.now ?? new Date();
  const tolerance = options.clockToleranceSeconds ?? 60;
  let verified: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    verified = await jwtVerify(jws.trim(), createLocalJWKSet(jwks), {
      algorithms: [HEALTH_CARD_ALG],
      typ: HEALTH_CARD_TYP,
      currentDate: now,
      clockTolerance: tolerance,
      requiredClaims: ['iss', 'iat', 'exp'],
      ...(options.issuer ? { issuer: options.issuer } : {}),
    });
  } catch (err) {
    return invalid(reasonOf(err));
  }
  const { payload, protectedHeader } = verified;
  const { card, name_sha256: nameHash, iat, exp, iss } = payload as Partial<HealthCardClaims>;
  if (typeof card !== 'string' || !isValidHealthCard(card)) return invalid('malformed');
  if (typeof nameHash !== 'string' || !NAME_HASH.test(nameHash)) return invalid('malformed');
  if (typeof iat !== 'number' || typeof exp !== 'number' || typeof iss !== 'string' || !protectedHeader.kid)
    return invalid('malformed');
  if (iat > now.getTime() / 1000 + tolerance) return invalid('not-yet-valid');
  const nameMatches =
    options.name === undefined ? undefined : (await healthCardNameHash(options.name)) === nameHash;
  return {
    valid: true,
    card,
    nameHash,
    issuer: iss,
    kid: protectedHeader.kid,
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date(exp * 1000),
    ...(nameMatches === undefined ? {} : { nameMatches }),
  };
}
