import type { Role } from '../principal.ts';

/** A person who signs in: staff (linked to Practitioner + PractitionerRole) or a resident (linked to Patient). */
export interface Account {
  readonly id: string;
  readonly username: string;
  readonly kind: 'staff' | 'resident';
  /** Chinese name as shown on screen, e.g. 张伟. Never logged. */
  readonly displayName: string;
  readonly roles: readonly Role[];
  /** `Organization` id of the institution (staff). */
  readonly organization?: string;
  readonly practitioner?: string;
  readonly practitionerRole?: string;
  /** `Patient` id (resident). */
  readonly patient?: string;
  readonly disabled: boolean;
  readonly totpEnabled: boolean;
  /** Preferred UI language. */
  readonly locale: 'zh-CN' | 'en';
}

export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly kind: Account['kind'];
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly organization?: string;
  readonly practitioner?: string;
  readonly practitionerRole?: string;
  readonly patient?: string;
  readonly locale?: Account['locale'];
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** Six-digit TOTP code, when the account has a second factor. */
  readonly totp?: string;
  /** Client IP address, for per-address rate limiting (never logged in full). */
  readonly ip?: string;
}

export type AuthenticationFailure =
  | 'invalid-credentials'
  | 'locked'
  | 'disabled'
  | 'totp-required'
  | 'totp-invalid'
  | 'rate-limited';

export type AuthenticationResult =
  | { readonly ok: true; readonly account: Account }
  | { readonly ok: false; readonly reason: AuthenticationFailure; readonly retryAfterSeconds?: number };

/** The account directory (users, passwords, lockout, TOTP). Implementations: `PgAccountStore`. */
export interface AccountStore {
  /** Checks a password (argon2id) and second factor; counts failures, locks out, rate-limits. */
  authenticate(credentials: Credentials): Promise<AuthenticationResult>;
  find(id: string): Promise<Account | undefined>;
  findByUsername(username: string): Promise<Account | undefined>;
  /** Throws AppError('conflict') when the username is taken, 'invalid' for a weak password. */
  create(account: NewAccount): Promise<Account>;
  setDisabled(id: string, disabled: boolean): Promise<void>;
  /** Replaces a staff account's roles (checked as on create); the next token or refresh carries them. */
  setRoles(id: string, roles: readonly Role[]): Promise<Account>;
  /** Staff accounts, of one institution or all, by username (the operator console's staff list). */
  listStaff(options: { readonly organization?: string; readonly limit: number }): Promise<Account[]>;
  /** Starts TOTP enrolment: returns the otpauth:// URI; `confirmTotp` with a valid code enables it. */
  beginTotp(id: string): Promise<{ secret: string; uri: string }>;
  confirmTotp(id: string, code: string): Promise<boolean>;
  /** Replaces the password (policy as in `create`); does not lift a lockout. */
  setPassword(id: string, password: string): Promise<void>;
  /** Removes the second factor (a lost phone: an administrator's action); pending enrolment too. */
  disableTotp(id: string): Promise<void>;
}
