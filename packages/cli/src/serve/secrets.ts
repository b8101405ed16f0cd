import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveSecretKey } from '@yiyun/auth';

/** Keys derived from the platform's master key (the same on every replica that shares it). */
export interface PlatformSecrets {
  /** Encrypts token-signing keys at rest (identity provider). */
  readonly keyEncryptionKey: Uint8Array;
  /** Encrypts TOTP secrets at rest (account store). */
  readonly totpKey: Uint8Array;
  /** Signs the identity provider's cookies. */
  readonly cookieKeys: readonly string[];
  /** Encrypts the resident health card signing keys at rest. */
  readonly healthCardKey: Uint8Array;
  /** Wraps the data keys of stored images when no image master keys are configured. */
  readonly imageMasterKey: Uint8Array;
}

/**
 * The master key from configuration (`YIYUN_MASTER_KEY`, base64), else from
 * `<dataDir>/secrets/platform.key`, created once with mode 600. Purpose keys are derived with HKDF
 * (RFC 5869), so one secret to manage yields independent keys.
 */
export async function loadPlatformSecrets(options: {
  masterKey?: string;
  dataDir: string;
}): Promise<PlatformSecrets> {
  let master: Buffer;
  if (options.masterKey) master = Buffer.from(options.masterKey, 'base64');
  else {
    const dir = join(options.dataDir, 'secrets');
    const file = join(dir, 'platform.key');
    const existing = await readFile(file, 'utf8').catch(() => undefined);
    if (existing) master = Buffer.from(existing.trim(), 'base64');
    else {
      master = randomBytes(32);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(file, `${master.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(
        async (err) => {
          // Another process created it first: use theirs.
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          master = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
        },
      );
      await chmod(file, 0o600);
    }
  }
  if (master.length !== 32) throw new Error('The platform master key must be 32 bytes (base64)');
  return {
    keyEncryptionKey: deriveSecretKey(master, 'yiyun/oidc/keys'),
    totpKey: deriveSecretKey(master, 'yiyun/accounts/totp'),
    healthCardKey: deriveSecretKey(master, 'yiyun/mpi/health-card'),
    imageMasterKey: deriveSecretKey(master, 'yiyun/imaging/master-key'),
    cookieKeys: [Buffer.from(deriveSecretKey(master, 'yiyun/oidc/cookies')).toString('base64url')],
  };
}
