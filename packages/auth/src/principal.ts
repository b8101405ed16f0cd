/**
 * Who is calling: the result of validating an access token, and what every access decision reads.
 * Roles are the platform's own (issue #4 scope 3); institutions are `Organization` ids (tenants).
 */
export const ROLES = [
  'platform-admin',
  'institution-admin',
  'clinician',
  'family-doctor',
  'nurse',
  /** 公共卫生分析 — aggregate data only, never identities. */
  'public-health-analyst',
  /** A hospital HIS/LIS/PACS feeding the platform (SMART Backend Services client). */
  'integration-system',
  /** 居民 — reads only their own record. */
  'resident',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface Principal {
  /** `user` signed in through the authorization code flow; `system` a client-credentials client. */
  readonly kind: 'user' | 'system';
  /** Account id for a user, client id for a system. */
  readonly subject: string;
  readonly clientId: string;
  readonly roles: readonly Role[];
  /** The institution (tenant) acted for: `Organization` id. */
  readonly organization?: string;
  /** Staff: the `Practitioner` id and the `PractitionerRole` id at `organization`. */
  readonly practitioner?: string;
  readonly practitionerRole?: string;
  /** A resident's own `Patient` id, or the SMART launch context patient. */
  readonly patient?: string;
  /** SMART `fhirUser` claim, e.g. `Practitioner/123`. */
  readonly fhirUser?: string;
  /** Granted scopes exactly as the token carries them (space-separated in the token). */
  readonly scopes: readonly string[];
  /** Token id (`jti`), for revocation and audit. */
  readonly tokenId?: string;
}
