import { AppError } from '@yiyun/fhir';
import { importJWK, type JWK, type JWTPayload, jwtVerify } from 'jose';
import { isRole, type Principal, type Role } from '../principal.ts';
import { SIGNING_ALG } from './keys.ts';
import type { RevocationList } from './revocations.ts';

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

/** Claims Yiyun adds to RFC 9068 access tokens (see `claims.ts`). */
export interface AccessTokenClaims extends JWTPayload {
  readonly scope?: string;
  readonly client_id?: string;
  /** The grant the token came from (user tokens only): ends with logout or refresh-token revocation. */
  readonly gid?: string;
  readonly roles?: readonly string[];
  readonly organization?: string;
  readonly practitioner?: string;
  readonly practitionerRole?: string;
  readonly patient?: string;
  readonly encounter?: string;
  readonly fhirUser?: string;
}

export interface VerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly revocations: RevocationList;
  /** Longest access-token lifetime: also bounds `iat` (maxTokenAge). */
  readonly maxTokenAgeSeconds: number;
  readonly clockToleranceSeconds?: number;
  readonly now?: () => number;
}

/**
 * Local access-token validation (RFC 9068 §4): signature with a published key, `alg` from an
 * allow-list (`none` never), `typ` `at+jwt`, `iss`, `aud`, `exp` / `nbf` / `iat` with a small
 * skew, then the shared revocation list. Every failure is `AppError('unauthenticated')`.
 */
export class AccessTokenVerifier {
  private keys = new Map<string, VerifyKey>();

  private readonly options: VerifierOptions;

  constructor(options: VerifierOptions) {
    this.options = options;
  }

  async setKeys(jwks: readonly JWK[]): Promise<void> {
    const next = new Map<string, VerifyKey>();
    for (const jwk of jwks) {
      if (jwk.kid && jwk.alg === SIGNING_ALG) next.set(jwk.kid, await importJWK(jwk, SIGNING_ALG));
    }
    this.keys = next;
  }

  async claims(token: string): Promise<AccessTokenClaims> {
    const now = this.options.now?.() ?? Date.now();
    let payload: AccessTokenClaims;
    try {
      ({ payload } = await jwtVerify<AccessTokenClaims>(
        token,
        (header) => {
          const key = header.kid === undefined ? undefined : this.keys.get(header.kid);
          if (!key) throw new Error('unknown key');
          return key;
        },
        {
          algorithms: [SIGNING_ALG],
          issuer: this.options.issuer,
          audience: this.options.audience,
          typ: 'at+jwt',
          clockTolerance: this.options.clockToleranceSeconds ?? 5,
          maxTokenAge: this.options.maxTokenAgeSeconds,
          currentDate: new Date(now),
          requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
        },
      ));
    } catch (cause) {
      throw new AppError('unauthenticated', 'The access token is invalid or expired', { cause });
    }
    const skew = this.options.clockToleranceSeconds ?? 5;
    if (typeof payload.iat === 'number' && payload.iat > now / 1000 + skew) {
      throw new AppError('unauthenticated', 'The access token is not yet valid');
    }
    if (this.options.revocations.isRevoked(payload.jti, payload.gid)) {
      throw new AppError('unauthenticated', 'The access token has been revoked');
    }
    return payload;
  }

  async verify(token: string): Promise<Principal> {
    return principalFromClaims(await this.claims(token));
  }
}

/** Builds the `Principal` the resource server uses from verified access-token claims. */
export function principalFromClaims(claims: AccessTokenClaims): Principal {
  const roles = (claims.roles ?? []).filter((r): r is Role => isRole(r));
  const optional = {
    organization: claims.organization,
    practitioner: claims.practitioner,
    practitionerRole: claims.practitionerRole,
    patient: claims.patient,
    fhirUser: claims.fhirUser,
    tokenId: claims.jti,
  };
  return {
    kind: typeof claims.gid === 'string' ? 'user' : 'system',
    subject: claims.sub ?? '',
    clientId: claims.client_id ?? '',
    roles,
    scopes: (claims.scope ?? '').split(' ').filter(Boolean),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => typeof v === 'string')),
  };
}
