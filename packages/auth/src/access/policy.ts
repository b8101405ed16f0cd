import type { AccessScope, RestrictedScope } from '@yiyun/store';
import type { Principal, Role } from '../principal.ts';
import {
  type Interaction,
  parseScopes,
  permittedTypes,
  type ScopeContext,
  type ScopeSet,
} from '../smart/index.ts';
import { CONFORMANCE_TYPES, DIRECTORY_TYPES, isClinicalType, NURSING_TYPES } from './resource-classes.ts';

/** Regional access policy (issue #4 scope 4), configurable per deployment. */
export interface AccessPolicyConfig {
  /** A finished encounter keeps its care relationship this many days (default 90). */
  readonly careWindowDays: number;
  /** Regional sharing when a resident has no Consent on file: true = opt-out regime (default). */
  readonly defaultShare: boolean;
  /** Break-the-glass lasts this many minutes (default 60). */
  readonly breakGlassMinutes: number;
  readonly now?: () => Date;
}

export const DEFAULT_ACCESS_POLICY: AccessPolicyConfig = {
  careWindowDays: 90,
  defaultShare: true,
  breakGlassMinutes: 60,
};

/** What one caller may do: the row scope the store compiles into SQL, and interaction checks. */
export interface Authorization {
  readonly principal: Principal;
  readonly scope: AccessScope;
  /** The institution stamped as custodian on what this caller creates (undefined: kept as sent). */
  readonly custodian?: string;
  /** Public-health analysts: counts only, never identities. */
  readonly aggregateOnly: boolean;
  /** Role × SMART scopes allow this interaction on this type (rows are then filtered by `scope`). */
  allows(interaction: Interaction, resourceType: string): boolean;
  readonly canBreakGlass: boolean;
  /** Break-the-glass reviews and audit trail: `all`, one institution's, or none. */
  readonly reviewScope: 'all' | 'organization' | 'none';
  /** Bulk `$export` / `$import` / `$reindex` and other platform operations. */
  readonly isPlatformOperator: boolean;
}

const STAFF_CLINICAL: readonly Role[] = ['clinician', 'family-doctor', 'nurse'];

function hasAny(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((r) => roles.includes(r));
}

/** Types a role may create, update or delete (the row scope then limits which records). */
function roleMayWrite(principal: Principal, type: string): boolean {
  const roles = principal.roles;
  if (roles.includes('integration-system')) return !CONFORMANCE_TYPES.has(type);
  if (roles.includes('clinician') || roles.includes('family-doctor')) return isClinicalType(type);
  if (roles.includes('nurse') && NURSING_TYPES.has(type)) return true;
  if (roles.includes('resident') && type === 'Consent') return true;
  if (roles.includes('platform-admin')) return !isClinicalType(type);
  if (roles.includes('institution-admin')) return DIRECTORY_TYPES.has(type);
  return false;
}

function smartContext(principal: Principal, scopes: ScopeSet): ScopeContext {
  if (principal.kind === 'system') return 'system';
  const hasUser = scopes.resources.some((s) => s.context === 'user');
  return !hasUser && principal.patient ? 'patient' : 'user';
}

function rowScope(principal: Principal, config: AccessPolicyConfig): AccessScope {
  const org = principal.organization;
  if (principal.roles.includes('resident')) {
    if (!principal.patient) return { kind: 'restricted', nonPatientData: false };
    return { kind: 'restricted', nonPatientData: true, person: principal.patient, personRecords: true };
  }
  if (hasAny(principal, STAFF_CLINICAL) && org) {
    const since = new Date((config.now?.() ?? new Date()).getTime() - config.careWindowDays * 86_400_000);
    return {
      kind: 'restricted',
      nonPatientData: true,
      custodian: org,
      writeCustodian: org,
      careRelationship: { organization: org, since, defaultShare: config.defaultShare },
      breakGlassAccount: principal.subject,
    };
  }
  if (principal.roles.includes('integration-system'))
    return org
      ? { kind: 'restricted', nonPatientData: true, custodian: org, writeCustodian: org }
      : { kind: 'all' };
  // Analysts count across the region (aggregate only, enforced by the caller); admins see the directory.
  if (principal.roles.includes('public-health-analyst')) return { kind: 'all' };
  if (principal.roles.includes('platform-admin')) return { kind: 'restricted', nonPatientData: true };
  if (principal.roles.includes('institution-admin') && org)
    return { kind: 'restricted', nonPatientData: true, writeCustodian: org };
  return { kind: 'restricted', nonPatientData: false };
}

/** Narrows a row scope by the token's SMART scopes: readable types, and a `patient/` launch context. */
function narrowBySmart(scope: AccessScope, principal: Principal, scopes: ScopeSet): AccessScope {
  const context = smartContext(principal, scopes);
  const readable = permittedTypes(scopes, context, 'r');
  const restricted: RestrictedScope =
    scope.kind === 'all' ? { kind: 'restricted', nonPatientData: true, everyRecord: true } : scope;
  let narrowed: RestrictedScope = restricted;
  if (readable !== '*') narrowed = { ...narrowed, types: [...readable] };
  if (context === 'patient' && principal.patient && !narrowed.person)
    narrowed = { ...narrowed, person: principal.patient };
  if (narrowed === restricted) return scope;
  return narrowed;
}

/** Decides what `principal` may see and do under the regional policy and the token's scopes. */
export function authorize(
  principal: Principal,
  config: AccessPolicyConfig = DEFAULT_ACCESS_POLICY,
): Authorization {
  const scopes = parseScopes(principal.scopes);
  const context = smartContext(principal, scopes);
  const aggregateOnly =
    principal.roles.includes('public-health-analyst') &&
    !hasAny(principal, [...STAFF_CLINICAL, 'integration-system', 'platform-admin']);
  const permitted = new Map<Interaction, '*' | ReadonlySet<string>>();
  const smartAllows = (interaction: Interaction, type: string) => {
    let types = permitted.get(interaction);
    if (!types) {
      types = permittedTypes(scopes, context, interaction);
      permitted.set(interaction, types);
    }
    return types === '*' || types.has(type);
  };
  const isWrite = (i: Interaction) => i === 'c' || i === 'u' || i === 'd';
  const org = principal.organization;
  return {
    principal,
    scope: narrowBySmart(rowScope(principal, config), principal, scopes),
    ...(org && !principal.roles.includes('resident') ? { custodian: org } : {}),
    aggregateOnly,
    allows: (interaction, type) =>
      smartAllows(interaction, type) && (!isWrite(interaction) || roleMayWrite(principal, type)),
    canBreakGlass: hasAny(principal, ['clinician', 'family-doctor']) && org !== undefined,
    reviewScope: principal.roles.includes('platform-admin')
      ? 'all'
      : principal.roles.includes('institution-admin') && org
        ? 'organization'
        : 'none',
    isPlatformOperator:
      principal.roles.includes('platform-admin') ||
      (principal.kind === 'system' && !org && scopeIsWildcardSystem(scopes)),
  };
}

function scopeIsWildcardSystem(scopes: ScopeSet): boolean {
  return scopes.resources.some(
    (s) => s.context === 'system' && s.resourceType === '*' && s.interactions.size === 5 && !s.query,
  );
}
