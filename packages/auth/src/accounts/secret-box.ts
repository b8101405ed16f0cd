import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '@yiyun/fhir';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

function assertKey(key: Uint8Array): void {
  if (key.byteLength !== KEY_BYTES)
    throw new AppError('internal', `An AES-256-GCM key has ${KEY_BYTES} bytes, not ${key.byteLength}`);
}

/**
 * Encrypts a small secret (a TOTP seed) with AES-256-GCM (NIST SP 800-38D): a random 96-bit IV per
 * message, a 128-bit tag, and `context` as additional authenticated data, so a ciphertext copied
 * to another account's row fails to open. Output: `v1.<iv>.<ciphertext>.<tag>` in base64url.
 */
export function sealSecret(key: Uint8Array, plaintext: string, context: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Decrypts what `sealSecret` made; throws AppError('internal') for a wrong key, context or a tampered text. */
export function openSecret(key: Uint8Array, sealed: string, context: string): string {
  assertKey(key);
  const [version, iv, body, tag, extra] = sealed.split('.');
  if (
    version !== VERSION ||
    iv === undefined ||
    body === undefined ||
    tag === undefined ||
    extra !== undefined
  )
    throw new AppError('internal', 'Unreadable encrypted secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch (cause) {
    throw new AppError('internal', 'Encrypted secret failed authentication (wrong key or tampered)', {
      cause,
    });
  }
}

/**
 * A 32-byte key for one purpose derived from a master secret with HKDF-SHA256 (RFC 5869), so one
 * installation secret can feed several keys (`purpose` e.g. `yiyun/accounts/totp`).
 */
export function deriveSecretKey(master: string | Uint8Array, purpose: string): Uint8Array {
  if (master.length < 16) throw new AppError('internal', 'A master secret needs at least 16 bytes');
  return new Uint8Array(hkdfSync('sha256', master, 'yiyun', purpose, KEY_BYTES));
}
