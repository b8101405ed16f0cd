import type { Account, AccountStore, AuditLog, Authorization, Role } from '@yiyun/auth';
import { AppError, toOperationOutcome } from '@yiyun/fhir';
import type { Context, Hono } from 'hono';
import type { AppAuth } from '../app.ts';
import { bearerAuth } from '../http/bearer-auth.ts';
import type { AppEnv } from '../http/env.ts';

export const STAFF_PATH = '/admin/staff';

/** Roles an institution admin may give staff of their own institution; the operator may give any staff role. */
const INSTITUTION_ROLES: readonly Role[] = ['clinician', 'family-doctor', 'nurse', 'institution-admin'];
const STAFF_ROLES: readonly Role[] = [...INSTITUTION_ROLES, 'platform-admin', 'public-health-analyst'];

/** What the console shows of an account (no secrets, no TOTP material). */
function view(a: Account) {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    roles: a.roles,
    ...(a.organization ? { organization: a.organization } : {}),
    ...(a.practitioner ? { practitioner: a.practitioner } : {}),
    disabled: a.disabled,
    totpEnabled: a.totpEnabled,
  };
}

interface Manager {
  readonly authz: Authorization;
  /** The institution an institution admin manages; undefined for the platform operator (all). */
  readonly organization: string | undefined;
}

function managerOf(authz: Authorization): Manager {
  if (authz.isPlatformOperator) return { authz, organization: undefined };
  const org = authz.principal.organization;
  if (authz.principal.roles.includes('institution-admin') && org) return { authz, organization: org };
  throw new AppError(
    'forbidden',
    'Staff accounts are managed by the platform operator and institution admins',
  );
}

function assertManages(m: Manager, account: Account | undefined): Account {
  if (account?.kind !== 'staff' || (m.organization && account.organization !== m.organization))
    throw new AppError('not-found', 'No such staff account');
  if (m.organization && account.roles.some((r) => !INSTITUTION_ROLES.includes(r)))
    throw new AppError('forbidden', 'This account holds platform roles: the platform operator manages it');
  return account;
}

/** `roles` of a request body: one or more of the roles this manager may give. */
function readRoles(b: Record<string, unknown>, m: Manager): Role[] {
  const roles = Array.isArray(b['roles']) ? b['roles'].map(String) : [];
  const allowed = m.organization ? INSTITUTION_ROLES : STAFF_ROLES;
  const bad = roles.filter((r) => !allowed.includes(r as Role));
  if (roles.length === 0 || bad.length)
    throw new AppError('invalid', `roles must be some of ${allowed.join(', ')}`);
  return [...new Set(roles)] as Role[];
}

/** The request's JSON object (a 400 for anything else). */
async function objectBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const body: unknown = await c.req.json().catch(() => undefined);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new AppError('invalid', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

function readNew(b: Record<string, unknown>, m: Manager) {
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const roles = readRoles(b, m);
  const organization = m.organization ?? (str('organization') || undefined);
  if (m.organization && str('organization') && str('organization') !== m.organization)
    throw new AppError('forbidden', 'An institution admin creates staff of their own institution only');
  return {
    username: str('username'),
    password: str('password'),
    kind: 'staff' as const,
    displayName: str('displayName'),
    roles,
    ...(organization ? { organization } : {}),
    ...(str('practitioner') ? { practitioner: str('practitioner') } : {}),
  };
}

/**
 * `/admin/staff`: the operator console's staff accounts. `GET` lists them (an institution admin:
 * their institution's; the platform operator: all, `?organization=` narrows), `POST` creates one
 * (username, displayName, roles, organization, an initial password under the password policy),
 * `POST /admin/staff/{id}/disabled` with `{"disabled": true|false}` disables or re-enables one
 * (a disabled account cannot sign in or refresh), `POST /admin/staff/{id}/roles` with `{"roles": [...]}`
 * replaces its roles (in force from its next token or refresh), `POST /admin/staff/{id}/password` with
 * `{"password": "..."}` resets its password under the policy. Nobody changes their own account here.
 * Every change is in the audit trail.
 */
export function mountStaffRoutes(app: Hono<AppEnv>, auth: AppAuth & { accounts: AccountStore }): void {
  const { accounts } = auth;
  const fail = (c: Context<AppEnv>, err: unknown) => {
    if (!(err instanceof AppError)) throw err;
    const status =
      { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409 }[err.code as string] ?? 400;
    return c.json(toOperationOutcome(err), status as 400, { 'content-type': 'application/fhir+json' });
  };
  const audit = async (
    c: Context<AppEnv>,
    m: Manager,
    kind: 'create' | 'update' | 'search',
    what: string,
  ) => {
    const p = m.authz.principal;
    await (auth.audit as AuditLog | undefined)?.record({
      kind,
      outcome: 'success',
      agent: {
        ...(p.kind === 'user' ? { account: p.subject } : {}),
        clientId: p.clientId,
        ...(p.organization ? { organization: p.organization } : {}),
        roles: p.roles,
      },
      entities: [{ description: what }],
      ...(c.get('requestId') ? { requestId: c.get('requestId') } : {}),
    });
  };
  app.use(`${STAFF_PATH}`, bearerAuth({ verify: (token) => auth.verify(token) }));
  app.use(`${STAFF_PATH}/*`, bearerAuth({ verify: (token) => auth.verify(token) }));
  app.get(STAFF_PATH, async (c) => {
    try {
      const m = managerOf(auth.authorize(c.get('principal')));
      const organization = m.organization ?? c.req.query('organization');
      const list = await accounts.listStaff({ ...(organization ? { organization } : {}), limit: 1000 });
      await audit(c, m, 'search', 'staff accounts');
      c.header('cache-control', 'no-store');
      return c.json({ accounts: list.map(view) });
    } catch (err) {
      return fail(c, err);
    }
  });
  app.post(STAFF_PATH, async (c) => {
    try {
      const m = managerOf(auth.authorize(c.get('principal')));
      const input = readNew(await objectBody(c), m);
      const created = await accounts.create(input);
      await audit(c, m, 'create', `staff account ${created.id}`);
      return c.json(view(created), 201);
    } catch (err) {
      return fail(c, err);
    }
  });
  /** A change to one staff account the caller manages (never their own): audited as an update. */
  const change = (
    action: string,
    /** Makes the change; returns the account as changed and what the audit trail says was done. */
    apply: (account: Account, body: Record<string, unknown>, m: Manager) => Promise<[Account, string]>,
  ) =>
    app.post(`${STAFF_PATH}/:id/${action}`, async (c) => {
      try {
        const m = managerOf(auth.authorize(c.get('principal')));
        const account = assertManages(m, await accounts.find(c.req.param('id')));
        const body = await objectBody(c);
        if (account.id === m.authz.principal.subject)
          throw new AppError('invalid', 'You cannot change your own account here');
        const [changed, done] = await apply(account, body, m);
        await audit(c, m, 'update', `staff account ${account.id} ${done}`);
        c.header('cache-control', 'no-store');
        return c.json(view(changed));
      } catch (err) {
        return fail(c, err);
      }
    });
  change('disabled', async (account, body) => {
    if (typeof body['disabled'] !== 'boolean')
      throw new AppError('invalid', 'disabled must be true or false');
    await accounts.setDisabled(account.id, body['disabled']);
    return [{ ...account, disabled: body['disabled'] }, body['disabled'] ? 'disabled' : 'enabled'];
  });
  change('roles', async (account, body, m) => {
    const changed = await accounts.setRoles(account.id, readRoles(body, m));
    return [changed, `roles set to ${changed.roles.join(', ')}`];
  });
  change('password', async (account, body) => {
    if (typeof body['password'] !== 'string') throw new AppError('invalid', 'password must be a string');
    await accounts.setPassword(account.id, body['password']);
    return [account, 'password reset'];
  });
}
