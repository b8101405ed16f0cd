import { randomBytes } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { pickLocale, t } from './i18n.ts';
import { escapeHtml, layout, pageCsp } from './pages.ts';

function page(
  ctx: KoaContextWithOIDC,
  title: 'logoutTitle' | 'errorTitle',
  body: (l: 'zh-CN' | 'en') => string,
): void {
  const locale = pickLocale(ctx.query['lang'] as string | undefined, ctx.get('accept-language'));
  const nonce = randomBytes(16).toString('base64');
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('content-security-policy', pageCsp(nonce));
  ctx.set('cache-control', 'no-store');
  ctx.body = layout({ locale, title, nonce, body: body(locale) });
}

/** RP-initiated logout confirmation (OpenID Connect RP-Initiated Logout 1.0 §2): `form` is oidc-provider's. */
export function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  page(
    ctx,
    'logoutTitle',
    (l) =>
      `<h1>${t(l, 'logoutHeading')}</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>${t(l, 'logoutYes')}</button>`,
  );
}

export function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  page(ctx, 'logoutTitle', (l) => `<h1>${t(l, 'logoutTitle')}</h1><p>${t(l, 'loggedOut')}</p>`);
}

/** Errors shown to the browser: the OAuth error code only, never internals. */
export function renderError(ctx: KoaContextWithOIDC, out: { error?: string }): void {
  page(
    ctx,
    'errorTitle',
    (l) =>
      `<h1>${t(l, 'errorHeading')}</h1><p class="error" role="alert"><code>${escapeHtml(String(out.error ?? 'server_error'))}</code></p>`,
  );
}
