import type { KoaContextWithOIDC, Account as OidcAccount } from 'oidc-provider';
import type { Account, AccountStore } from '../accounts/port.ts';
import type { GrantContextStore } from './grant-context.ts';

/** SMART `fhirUser` (a Practitioner for staff, the Patient for a resident). */
export function fhirUserOf(account: Account): string | undefined {
  if (account.kind === 'resident') return account.patient ? `Patient/${account.patient}` : undefined;
  return account.practitioner ? `Practitioner/${account.practitioner}` : undefined;
}

/** oidc-provider's `findAccount`: claims for the id_token and userinfo (OIDC Core §5.4 plus `fhirUser`). */
export function findAccount(accounts: AccountStore) {
  return async (_ctx: KoaContextWithOIDC, sub: string): Promise<OidcAccount | undefined> => {
    const account = await accounts.find(sub);
    if (!account || account.disabled) return undefined;
    return {
      accountId: account.id,
      claims: () => {
        const fhirUser = fhirUserOf(account);
        return {
          sub: account.id,
          name: account.displayName,
          locale: account.locale,
          ...(fhirUser ? { fhirUser } : {}),
        };
      },
    };
  };
}

interface TokenLike {
  kind: string;
  accountId?: string;
  grantId?: string;
  clientId?: string;
}

/**
 * What the resource server needs in the access token (RFC 9068 §2.2.3 allows extra claims): roles,
 * institution, practitioner and role, the SMART launch patient and encounter, `fhirUser`, and the
 * grant id (`gid`) so a grant ended at logout or refresh-token revocation kills its access tokens.
 */
export function extraTokenClaims(accounts: AccountStore, contexts: GrantContextStore) {
  return async (ctx: KoaContextWithOIDC, token: TokenLike): Promise<Record<string, unknown> | undefined> => {
    if (token.kind === 'ClientCredentials') {
      const client = ctx.oidc.client;
      const organization = client?.['yiyun_organization'];
      return {
        roles: (client?.['yiyun_roles'] as string[] | undefined) ?? [],
        ...(typeof organization === 'string' ? { organization } : {}),
      };
    }
    if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
    const account = await accounts.find(token.accountId);
    if (!account) return undefined;
    const context = token.grantId ? await contexts.find(token.grantId) : {};
    const patient = context.patient ?? (account.kind === 'resident' ? account.patient : undefined);
    const fhirUser = fhirUserOf(account);
    const optional = {
      gid: token.grantId,
      organization: account.organization,
      practitioner: account.practitioner,
      practitionerRole: account.practitionerRole,
      patient,
      encounter: context.encounter,
      fhirUser,
    };
    return {
      roles: [...account.roles],
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => typeof v === 'string')),
    };
  };
}
