import {
  type AccessPolicyConfig,
  type AccountStore,
  type AuditLog,
  authorize,
  createIdentityProvider,
  type HashAlgorithm,
  type IdentityProvider,
  openAuditLog,
  PgAccountStore,
} from '@yiyun/auth';
import type { Database } from '@yiyun/store';
import type { Logger } from 'pino';
import type { AppAuth } from './app.ts';

export interface SecurityOptions {
  readonly database: Database;
  /** Public base URL: the token issuer. */
  readonly issuer: string;
  readonly logger: Logger;
  readonly cookieKeys: readonly string[];
  /** Encrypts token-signing keys at rest; the same on every replica. */
  readonly keyEncryptionKey: Uint8Array;
  /** Encrypts TOTP secrets at rest (absent: accounts cannot enrol a second factor). */
  readonly totpKey?: Uint8Array;
  readonly policy: AccessPolicyConfig;
  readonly auditHash?: HashAlgorithm;
  readonly accessTokenSeconds?: number;
  /** How often replicas re-read revocations and keys (ms). */
  readonly pollMs?: number;
}

export interface Security {
  readonly accounts: AccountStore;
  readonly audit: AuditLog;
  readonly idp: IdentityProvider;
  /** What `createPlatform` needs to authenticate, authorise and audit every call. */
  readonly auth: AppAuth & { readonly breakGlassMinutes: number };
  close(): Promise<void>;
}

/**
 * Accounts, the hash-chained audit log and the identity provider on one database, wired together:
 * sign-ins, failed sign-ins and sign-outs are audited, and the platform's `auth` verifies tokens
 * with the provider and authorises callers under `policy`. `yiyun serve` and the tests build the
 * same thing here.
 */
export async function openSecurity(options: SecurityOptions): Promise<Security> {
  const { database, logger } = options;
  const accounts = await PgAccountStore.open({
    sql: database.sql,
    ...(options.totpKey ? { totpKey: options.totpKey } : {}),
  });
  const audit = await openAuditLog({ sql: database.sql, algorithm: options.auditHash ?? 'sha256', logger });
  audit.startSealing(5_000);
  const idp = await createIdentityProvider({
    issuer: options.issuer,
    database,
    accounts,
    logger,
    cookieKeys: options.cookieKeys,
    keyEncryptionKey: options.keyEncryptionKey,
    ...(options.accessTokenSeconds ? { ttl: { accessToken: options.accessTokenSeconds } } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    onSecurityEvent: (event) =>
      audit.record({
        kind: event.kind,
        outcome: event.kind === 'login-failed' ? 'minor-failure' : 'success',
        agent: {
          ...(event.account ? { account: event.account } : {}),
          ...(event.clientId ? { clientId: event.clientId } : {}),
          ...(event.address ? { address: event.address } : {}),
        },
        ...(event.reason ? { description: event.reason } : {}),
      }),
  });
  return {
    accounts,
    audit,
    idp,
    auth: {
      verify: (token) => idp.verifyAccessToken(token),
      authorize: (principal) => authorize(principal, options.policy),
      audit,
      accounts,
      breakGlassMinutes: options.policy.breakGlassMinutes,
    },
    async close() {
      await idp.close();
      await audit.close();
    },
  };
}
