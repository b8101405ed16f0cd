/** Accounts: users, argon2id passwords, lockout and rate limits, TOTP (issue #4, scope 1). */
export { addressBucket } from './client-address.ts';
export { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-throttle.ts';
export { ACCOUNT_MIGRATIONS } from './migrations.ts';
export { ARGON2_PARAMETERS } from './password-hash.ts';
export { PgAccountStore, type PgAccountStoreOptions } from './pg-account-store.ts';
export { assertPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, usernameKey } from './policy.ts';
export type * from './port.ts';
export { deriveSecretKey } from './secret-box.ts';
export { TOTP_ISSUER } from './totp.ts';
