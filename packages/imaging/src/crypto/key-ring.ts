import { hkdfSync } from 'node:crypto';
import { AppError } from '@yiyun/fhir';

export const MASTER_KEY_SIZE = 32;

export interface MasterKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

/**
 * The master keys (KEKs) of a deployment: `current` wraps new data keys; retired keys stay in `keys`
 * until every data key they wrapped has been re-wrapped (`ObjectCipher.rewrap`), then they can go.
 */
export interface KeyRing {
  readonly current: MasterKey;
  /** Every key by id, the current one included. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+$/;

/** A ring from its parts; `retired` keys only unwrap. Validates ids and key sizes. */
export function createKeyRing(current: MasterKey, retired: readonly MasterKey[] = []): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const { id, key } of [current, ...retired]) {
    if (!KEY_ID.test(id)) throw new AppError('invalid', `Master key id "${id}" must match ${KEY_ID.source}`);
    if (key.length !== MASTER_KEY_SIZE) {
      throw new AppError('invalid', `Master key "${id}" must be ${MASTER_KEY_SIZE} bytes, not ${key.length}`);
    }
    if (keys.has(id)) throw new AppError('invalid', `Master key id "${id}" appears twice`);
    keys.set(id, key);
  }
  return Object.freeze({ current: Object.freeze({ ...current }), keys });
}

/**
 * Parses `id1:base64,id2:base64` (e.g. `YIYUN_MASTER_KEYS`): the first key is current, the others
 * are retired. Error messages name the key id, never its bytes.
 */
export function parseKeyRing(spec: string): KeyRing {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0) throw new AppError('invalid', 'Master key ring is empty (expected id:base64,…)');
  const parsed = entries.map((entry, i): MasterKey => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new AppError('invalid', `Master key entry ${i + 1} is not id:base64`);
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!BASE64.test(encoded)) throw new AppError('invalid', `Master key "${id}" is not base64`);
    return {
      id,
      key: Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64'),
    };
  });
  const [current, ...retired] = parsed;
  return createKeyRing(current!, retired);
}

/**
 * A 32-byte master key derived from the platform's secret for one purpose (`label`), via
 * HKDF-SHA256 (RFC 5869). Used for the default key when no ring is configured, so that the
 * platform secret itself never encrypts anything.
 */
export function deriveMasterKey(platformKey: Buffer, label: string): Buffer {
  if (platformKey.length < 16) throw new AppError('invalid', 'Platform key must be at least 16 bytes');
  if (label === '') throw new AppError('invalid', 'Master key label must not be empty');
  return Buffer.from(hkdfSync('sha256', platformKey, 'yiyun/v1 master-key', label, MASTER_KEY_SIZE));
}

/** The master key `id`, or an error saying the ring lacks it (a configuration problem, not corruption). */
export function masterKeyOf(ring: KeyRing, id: string): Buffer {
  const key = ring.current.id === id ? ring.current.key : ring.keys.get(id);
  if (key === undefined) {
    throw new AppError('internal', `Master key "${id}" is not in the key ring (retired too early?)`);
  }
  return key;
}
