import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Account, AccountStore } from '../accounts/port.ts';
import { describeScope, type Locale } from '../smart/describe.ts';
import { isFhirId, type LaunchContextStore } from '../smart/launch.ts';
import type { GrantContextStore } from './grant-context.ts';
import { type FailureKey, pickLocale, t } from './i18n.ts';
import type { SecurityEvent } from './identity-provider.ts';
import { consentBody, layout, loginBody, pageCsp } from './pages.ts';
import { readForm } from './request.ts';

export interface InteractionDeps {
  readonly provider: () => Provider;
  readonly accounts: AccountStore;
  readonly launches: LaunchContextStore;
  readonly grantContexts: GrantContextStore;
  readonly fhirBaseUrl: string;
  readonly issuerOrigin: string;
  /** Secret for the form token (the first cookie key). */
  readonly csrfSecret: string;
  readonly logger: Logger;
  readonly onSecurityEvent?: (event: SecurityEvent) => Promise<void> | void;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;
const PATH = /^\/oauth2\/interaction\/([A-Za-z0-9_-]{10,64})(?:\/(login|confirm|abort))?$/;

/**
 * The sign-in and consent steps oidc-provider delegates to the host (`interactions.url`): Koa
 * middleware for `/oauth2/interaction/:uid[/login|/confirm|/abort]`. POSTs must carry the form
 * token bound to the interaction and, when the browser sends one, our own Origin.
 */
export function interactionRoutes(deps: InteractionDeps) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const match = PATH.exec(ctx.path);
    if (!match) return next();
    const [, uid = '', step] = match;
    const provider = deps.provider();
    let details: Details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      return renderExpired(ctx, deps);
    }
    if (details.uid !== uid) return renderExpired(ctx, deps);
    if (ctx.method === 'GET' && !step) return showStep(ctx, deps, details, undefined);
    if (ctx.method !== 'POST' || !step) return next();
    const form = await readForm(ctx.req);
    const locale = pickLocale(form.get('lang') ?? undefined, ctx.get('accept-language'));
    if (!sameOrigin(ctx, deps.issuerOrigin) || !checkCsrf(deps.csrfSecret, uid, form.get('csrf'))) {
      return renderExpired(ctx, deps, locale);
    }
    if (step === 'abort') {
      return finish(ctx, provider, {
        error: 'access_denied',
        error_description: 'The resource owner denied the request',
      });
    }
    if (step === 'login') return submitLogin(ctx, deps, details, form, locale);
    return submitConsent(ctx, deps, details, form, locale);
  };
}

async function finish(ctx: Context, provider: Provider, result: InteractionResults): Promise<void> {
  const to = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(to);
}

function csrfToken(secret: string, uid: string): string {
  return createHmac('sha256', secret).update(`interaction:${uid}`).digest('base64url');
}

function checkCsrf(secret: string, uid: string, presented: string | null): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfToken(secret, uid));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function sameOrigin(ctx: Context, origin: string): boolean {
  // Browsers send Origin on form POSTs; when present it must be ours ("null" included).
  const sent = ctx.get('origin');
  return sent === '' || sent === origin;
}

function render(
  ctx: Context,
  status: number,
  locale: Locale,
  title: 'title' | 'consentTitle',
  body: string,
): void {
  const nonce = randomBytes(16).toString('base64');
  const switchTo = locale === 'en' ? 'zh-CN' : 'en';
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('content-security-policy', pageCsp(nonce));
  ctx.set('cache-control', 'no-store');
  ctx.body = layout({
    locale,
    title,
    body: body,
    nonce,
    switchHref: `${ctx.path.replace(/\/(login|confirm)$/, '')}?lang=${switchTo}`,
  });
}

function renderExpired(ctx: Context, deps: InteractionDeps, locale?: Locale): void {
  const l = locale ?? pickLocale(ctx.query['lang'] as string | undefined, ctx.get('accept-language'));
  render(
    ctx,
    400,
    l,
    'title',
    `<h1>${t(l, 'errorHeading')}</h1><p class="error" role="alert">${t(l, 'form-expired')}</p>`,
  );
  deps.logger.info({ event: 'interaction-expired' }, 'interaction rejected');
}

async function showStep(
  ctx: Context,
  deps: InteractionDeps,
  details: Details,
  error: FailureKey | undefined,
  extra: { locale?: Locale; username?: string; showTotp?: boolean; minutes?: number } = {},
): Promise<void> {
  const locale =
    extra.locale ?? pickLocale(ctx.query['lang'] as string | undefined, ctx.get('accept-language'));
  const base = `/oauth2/interaction/${details.uid}`;
  const csrf = csrfToken(deps.csrfSecret, details.uid);
  const message = error ? t(locale, error, { minutes: extra.minutes ?? 1 }) : undefined;
  const switchHref = `${base}?lang=${locale === 'en' ? 'zh-CN' : 'en'}`;
  if (details.prompt.name === 'login') {
    const status = error === undefined ? 200 : error === 'locked' || error === 'rate-limited' ? 429 : 401;
    return render(
      ctx,
      status,
      locale,
      'title',
      loginBody({
        locale,
        action: `${base}/login`,
        csrf,
        showTotp: extra.showTotp ?? false,
        switchHref,
        ...(extra.username ? { username: extra.username } : {}),
        ...(message ? { error: message } : {}),
      }),
    );
  }
  const client = await deps.provider().Client.find(String(details.params['client_id']));
  const account = details.session?.accountId
    ? await deps.accounts.find(details.session.accountId)
    : undefined;
  if (!client || !account) return renderExpired(ctx, deps, locale);
  const askPatient = needsPatientChoice(details, account);
  if (client['yiyun_trusted'] === true && !askPatient && !error) {
    return grantAndFinish(ctx, deps, details, account, undefined);
  }
  const scopes = String(details.params['scope'] ?? '')
    .split(' ')
    .filter(Boolean)
    .map((s) => describeScope(s, locale));
  render(
    ctx,
    error ? 400 : 200,
    locale,
    'consentTitle',
    consentBody({
      locale,
      action: `${base}/confirm`,
      abort: `${base}/abort`,
      csrf,
      clientName: client.clientName ?? client.clientId,
      scopes,
      askPatient,
      switchHref,
      ...(message ? { error: message } : {}),
    }),
  );
}

/** Standalone `launch/patient` by staff: they pick the patient; residents get their own. */
function needsPatientChoice(details: Details, account: Account): boolean {
  const scopes = String(details.params['scope'] ?? '').split(' ');
  return scopes.includes('launch/patient') && !details.params['launch'] && account.kind === 'staff';
}

async function submitLogin(
  ctx: Context,
  deps: InteractionDeps,
  details: Details,
  form: URLSearchParams,
  locale: Locale,
): Promise<void> {
  if (details.prompt.name !== 'login') return renderExpired(ctx, deps, locale);
  const username = (form.get('username') ?? '').trim().slice(0, 200);
  const totp = form.get('totp') ?? undefined;
  const result = await deps.accounts.authenticate({
    username,
    password: form.get('password') ?? '',
    ...(totp ? { totp } : {}),
    ...(ctx.ip ? { ip: ctx.ip } : {}),
  });
  const clientId = typeof details.params['client_id'] === 'string' ? details.params['client_id'] : undefined;
  const origin = { ...(clientId ? { clientId } : {}), ...(ctx.ip ? { address: ctx.ip } : {}) };
  if (result.ok) {
    deps.logger.info({ event: 'login', outcome: 'success', account: result.account.id }, 'sign-in');
    await deps.onSecurityEvent?.({ kind: 'login', account: result.account.id, ...origin });
    return finish(ctx, deps.provider(), {
      login: { accountId: result.account.id, amr: result.account.totpEnabled ? ['pwd', 'otp'] : ['pwd'] },
    });
  }
  deps.logger.info({ event: 'login', outcome: result.reason }, 'sign-in failed');
  // A step, not a failure: the page asks for the second factor.
  if (result.reason !== 'totp-required')
    await deps.onSecurityEvent?.({ kind: 'login-failed', reason: result.reason, ...origin });
  if (result.retryAfterSeconds) ctx.set('retry-after', String(result.retryAfterSeconds));
  const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 60) / 60));
  const showTotp = result.reason === 'totp-required' || result.reason === 'totp-invalid';
  return showStep(ctx, deps, details, result.reason, { locale, username, showTotp, minutes });
}

async function submitConsent(
  ctx: Context,
  deps: InteractionDeps,
  details: Details,
  form: URLSearchParams,
  locale: Locale,
): Promise<void> {
  if (details.prompt.name !== 'consent' || !details.session?.accountId)
    return renderExpired(ctx, deps, locale);
  const account = await deps.accounts.find(details.session.accountId);
  if (!account) return renderExpired(ctx, deps, locale);
  let patient: string | undefined;
  if (needsPatientChoice(details, account)) {
    patient = (form.get('patient') ?? '').trim();
    if (!isFhirId(patient)) return showStep(ctx, deps, details, 'patient-required', { locale });
  }
  return grantAndFinish(ctx, deps, details, account, patient);
}

async function grantAndFinish(
  ctx: Context,
  deps: InteractionDeps,
  details: Details,
  account: Account,
  chosen: string | undefined,
): Promise<void> {
  const provider = deps.provider();
  const clientId = String(details.params['client_id']);
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId: account.id, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  const launch = details.params['launch']
    ? await deps.launches.resolve(String(details.params['launch']))
    : undefined;
  const patient = launch?.patient ?? chosen ?? (account.kind === 'resident' ? account.patient : undefined);
  await deps.grantContexts.save(grantId, {
    ...(patient ? { patient } : {}),
    ...(launch?.encounter ? { encounter: launch.encounter } : {}),
  });
  return finish(ctx, provider, { consent: { grantId } });
}
