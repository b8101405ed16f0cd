import { createHash } from 'node:crypto';
import { AppError } from '@yiyun/fhir';
import type { JWK } from 'jose';
import type { Role } from '../principal.ts';
import { LAUNCH_SCOPES, parseScope } from '../smart/scopes.ts';
import type { Sql } from './sql.ts';

export type ClientGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

export interface ClientRegistration {
  readonly clientId: string;
  /** A confidential client's secret (`client_secret_basic` / `client_secret_post`); stored hashed. */
  readonly secret?: string;
  /** An asymmetric client's public keys (`private_key_jwt`, SMART Backend Services: RS384 / ES384). */
  readonly jwks?: { keys: readonly JWK[] };
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly grantTypes: readonly ClientGrantType[];
  /** Every scope the client may ask for: SMART patterns (`system/*.rs`, `patient/*.cruds`) and launch scopes. */
  readonly scope: string;
  /** Platform roles a client-credentials token carries (e.g. `integration-system`). */
  readonly roles?: readonly Role[];
  /** The institution the client acts for (`Organization` id). */
  readonly organization?: string;
  /** A first-party app: no consent page. */
  readonly trusted?: boolean;
  readonly name?: string;
}

/** oidc-provider client metadata, with Yiyun's extra properties (`extraClientMetadata`). */
export const EXTRA_CLIENT_METADATA = ['smart_scope', 'yiyun_roles', 'yiyun_organization', 'yiyun_trusted'];

const SECRET_PREFIX = 'sha256:';

/** Client secrets are random and long, so a SHA-256 digest is enough to keep them out of the database. */
export function hashClientSecret(secret: string): string {
  return SECRET_PREFIX + createHash('sha256').update(secret).digest('base64url');
}

export function clientMetadata(reg: ClientRegistration): Record<string, unknown> {
  const invalid = reg.scope.split(' ').filter((s) => s && parseScope(s).kind === 'unknown');
  if (invalid.length) throw new AppError('invalid', `Unknown scopes: ${invalid.join(' ')}`);
  if (reg.secret !== undefined && reg.secret.length < 32) {
    throw new AppError('invalid', 'A client secret must have at least 32 characters');
  }
  const method = reg.jwks ? 'private_key_jwt' : reg.secret ? 'client_secret_basic' : 'none';
  const interactive = reg.grantTypes.includes('authorization_code');
  if (method === 'none' && !interactive)
    throw new AppError('invalid', 'A public client must use authorization_code');
  const oidcScopes = reg.scope.split(' ').filter((s) => (LAUNCH_SCOPES as readonly string[]).includes(s));
  return {
    client_id: reg.clientId,
    ...(reg.name ? { client_name: reg.name } : {}),
    ...(reg.secret ? { client_secret: hashClientSecret(reg.secret) } : {}),
    ...(reg.jwks ? { jwks: reg.jwks } : {}),
    token_endpoint_auth_method: method,
    grant_types: [...reg.grantTypes],
    response_types: interactive ? ['code'] : [],
    redirect_uris: [...(reg.redirectUris ?? [])],
    post_logout_redirect_uris: [...(reg.postLogoutRedirectUris ?? [])],
    ...(oidcScopes.length ? { scope: oidcScopes.join(' ') } : {}),
    smart_scope: reg.scope,
    yiyun_roles: [...(reg.roles ?? [])],
    ...(reg.organization ? { yiyun_organization: reg.organization } : {}),
    yiyun_trusted: reg.trusted ?? false,
  };
}

/** Stores (or replaces) a client where every replica's provider finds it (`oidc_payload`, model Client). */
export async function saveClient(sql: Sql, metadata: Record<string, unknown>): Promise<void> {
  await sql`
    insert into oidc_payload (model, id, payload) values ('Client', ${String(metadata['client_id'])},
      ${sql.json(metadata as never)})
    on conflict (model, id) do update set payload = excluded.payload`;
}
