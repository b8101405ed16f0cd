import { Secret, TOTP } from 'otpauth';

/** Shown by authenticator apps above the code. */
export const TOTP_ISSUER = 'Yiyun 医云';
/** RFC 6238 §4 defaults that every authenticator app implements: 30-second steps, 6 digits, HMAC-SHA-1. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
/** Steps either side of now accepted for clock drift (RFC 6238 §5.2 recommends at most one). */
const WINDOW = 1;
const CODE = /^\d{6}$/;

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits), Base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app scans (Key URI Format). */
export function totpUri(secretBase32: string, username: string): string {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: username,
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The time step (RFC 6238 §4.2, T) of an instant. */
export function totpStep(timestampMs: number): number {
  return Math.floor(timestampMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code of `secret` at an instant (`digits` 8 only for the RFC's test vectors). */
export function totpCode(secret: Secret, timestampMs: number, digits = DIGITS): string {
  return TOTP.generate({
    secret,
    algorithm: ALGORITHM,
    digits,
    period: TOTP_PERIOD_SECONDS,
    timestamp: timestampMs,
  });
}

/**
 * The time step whose code `code` is, looking one step either side of `timestampMs`; undefined when
 * it is none of them. The caller refuses a step at or before the last one accepted (replay, §5.2).
 */
export function matchTotp(secretBase32: string, code: string, timestampMs: number): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!CODE.test(token)) return undefined;
  const delta = TOTP.validate({
    token,
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: timestampMs,
    window: WINDOW,
  });
  return delta === null ? undefined : totpStep(timestampMs) + delta;
}
