import { AppError } from '@yiyun/fhir';
import type { Database } from '@yiyun/store';
import { isRole, type Role } from '../principal.ts';
import type { Account, NewAccount } from './port.ts';

type Sql = Database['sql'];

export interface AccountRow {
  readonly id: string;
  readonly username: string;
  readonly kind: Account['kind'];
  readonly display_name: string;
  readonly roles: string[];
  readonly organization: string | null;
  readonly practitioner: string | null;
  readonly practitioner_role: string | null;
  readonly patient: string | null;
  readonly locale: Account['locale'];
  readonly disabled: boolean;
  readonly totp_enabled: boolean;
}

/** What only sign-in reads: the password hash and the sealed TOTP seed. */
export interface SecretRow extends AccountRow {
  readonly password_hash: string;
  readonly totp_secret: string | null;
}

/** The columns of an `AccountRow`, as a fragment for `select` and `returning`. */
export const accountColumns = (sql: Sql) => sql`id, username, kind, display_name, roles, organization,
  practitioner, practitioner_role, patient, locale, disabled, totp_secret is not null as totp_enabled`;

export function toAccount(row: AccountRow): Account {
  const optional = (
    key: 'organization' | 'practitioner' | 'practitionerRole' | 'patient',
    v: string | null,
  ) => (v === null ? {} : { [key]: v });
  return {
    id: row.id,
    username: row.username,
    kind: row.kind,
    displayName: row.display_name,
    roles: row.roles.filter(isRole),
    ...optional('organization', row.organization),
    ...optional('practitioner', row.practitioner),
    ...optional('practitionerRole', row.practitioner_role),
    ...optional('patient', row.patient),
    disabled: row.disabled,
    totpEnabled: row.totp_enabled,
    locale: row.locale,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isAccountId(id: string): boolean {
  return UUID.test(id);
}

/** A FHIR id (R4 `id` datatype): what the links to Organization, Practitioner … must look like. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Throws AppError('invalid') for an account whose kind, roles and links do not fit together. */
export function assertNewAccount(account: NewAccount): void {
  const invalid = (message: string) => new AppError('invalid', message);
  const name = account.displayName.trim();
  if (name.length === 0 || name.length > 200) throw invalid('A display name has 1–200 characters');
  if (account.kind !== 'staff' && account.kind !== 'resident') throw invalid("kind is 'staff' or 'resident'");
  if (account.roles.length === 0) throw invalid('An account needs at least one role');
  const unknown = account.roles.filter((r) => !isRole(r));
  if (unknown.length > 0) throw invalid(`Unknown role: ${unknown.join(', ')}`);
  const roles = new Set<Role>(account.roles);
  if (roles.has('integration-system')) throw invalid('Integration systems are OAuth clients, not accounts');
  for (const [field, value] of Object.entries({
    organization: account.organization,
    practitioner: account.practitioner,
    practitionerRole: account.practitionerRole,
    patient: account.patient,
  })) {
    if (value !== undefined && !FHIR_ID.test(value)) throw invalid(`${field} must be a FHIR resource id`);
  }
  if (account.kind === 'resident') {
    if (roles.size !== 1 || !roles.has('resident'))
      throw invalid("A resident account has the role 'resident' only");
    if (account.patient === undefined) throw invalid('A resident account links to their Patient');
    if (account.practitioner !== undefined || account.practitionerRole !== undefined)
      throw invalid('A resident account links to no Practitioner');
    return;
  }
  if (roles.has('resident')) throw invalid("The role 'resident' belongs to resident accounts");
  if (account.patient !== undefined) throw invalid('A staff account links to no Patient');
  const platformOnly = roles.size === 1 && roles.has('platform-admin');
  if (!platformOnly && account.organization === undefined)
    throw invalid('A staff account other than a platform administrator belongs to an institution');
}
