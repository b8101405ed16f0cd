import type { Locale } from '../smart/describe.ts';
import { type MessageKey, t } from './i18n.ts';

/** HTML text and attribute escaping (OWASP XSS prevention rule #1). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f6f8;margin:0;color:#1b1f24}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:1rem 0 .3rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #8a94a0;border-radius:4px}
button{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#e3e7eb;color:#1b1f24;margin-left:.5rem}
.error{background:#fdecea;color:#8a1c12;padding:.7rem;border-radius:4px}
.hint{color:#4a5460;font-size:.9rem}ul{padding-left:1.2rem}nav{text-align:right;font-size:.9rem}`;

export interface Page {
  readonly status: number;
  readonly html: string;
  readonly nonce: string;
}

/** The CSP every page of ours carries: no scripts at all, our one style block by nonce. */
export function pageCsp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'`;
}

export function layout(options: {
  locale: Locale;
  title: MessageKey;
  body: string;
  nonce: string;
  switchHref?: string;
}): string {
  const lang = options.locale === 'en' ? 'en' : 'zh-CN';
  const nav = options.switchHref
    ? `<nav><a href="${escapeHtml(options.switchHref)}" lang="${lang === 'en' ? 'zh-CN' : 'en'}">${t(options.locale, 'language')}</a></nav>`
    : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${t(options.locale, options.title)}</title>
<style nonce="${options.nonce}">${STYLE}</style></head><body><main>${nav}${options.body}</main></body></html>`;
}

export function errorBlock(message: string | undefined): string {
  return message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '';
}

export interface LoginView {
  readonly locale: Locale;
  readonly action: string;
  readonly csrf: string;
  readonly username?: string;
  readonly showTotp: boolean;
  readonly error?: string;
  readonly switchHref: string;
}

export function loginBody(v: LoginView): string {
  const l = v.locale;
  const totp = v.showTotp
    ? `<label for="totp">${t(l, 'totp')}</label>
<input id="totp" name="totp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus>`
    : '';
  return `<h1>${t(l, 'heading')}</h1>${errorBlock(v.error)}
<form method="post" action="${escapeHtml(v.action)}" autocomplete="on">
<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}"><input type="hidden" name="lang" value="${l}">
<label for="username">${t(l, 'username')}</label>
<input id="username" name="username" type="text" autocomplete="username" required value="${escapeHtml(v.username ?? '')}"${v.showTotp ? '' : ' autofocus'}>
<label for="password">${t(l, 'password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
${totp}<button type="submit">${t(l, 'signIn')}</button></form>`;
}

export interface ConsentView {
  readonly locale: Locale;
  readonly action: string;
  readonly abort: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly scopes: readonly string[];
  readonly askPatient: boolean;
  readonly error?: string;
  readonly switchHref: string;
}

export function consentBody(v: ConsentView): string {
  const l = v.locale;
  const items = v.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  const patient = v.askPatient
    ? `<label for="patient">${t(l, 'patientId')}</label>
<input id="patient" name="patient" type="text" required aria-describedby="patient-hint" pattern="[A-Za-z0-9\\-.]{1,64}">
<p id="patient-hint" class="hint">${t(l, 'patientHint')}</p>`
    : '';
  return `<h1>${t(l, 'consentHeading')}</h1>${errorBlock(v.error)}
<p>${escapeHtml(t(l, 'consentIntro', { client: v.clientName }))}</p><ul>${items}</ul>
<form method="post" action="${escapeHtml(v.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}"><input type="hidden" name="lang" value="${l}">
${patient}<button type="submit">${t(l, 'allow')}</button>
<button type="submit" class="secondary" formaction="${escapeHtml(v.abort)}" formnovalidate>${t(l, 'deny')}</button></form>`;
}
