import type { AuthenticationFailure } from '../accounts/port.ts';
import type { Locale } from '../smart/describe.ts';

/** Every string on the sign-in, consent and logout pages, in zh-CN (default) and en. */
const MESSAGES = {
  'zh-CN': {
    title: '医云 · 登录',
    heading: '登录医云',
    username: '用户名',
    password: '密码',
    totp: '动态验证码（6 位）',
    signIn: '登录',
    consentTitle: '医云 · 授权',
    consentHeading: '授权应用访问',
    consentIntro: '应用“{client}”请求以下权限：',
    patientId: '患者 ID',
    patientHint: '请输入本次使用的患者 ID',
    allow: '允许',
    deny: '拒绝',
    logoutTitle: '医云 · 退出',
    logoutHeading: '确认退出登录？',
    logoutYes: '退出登录',
    loggedOut: '您已退出登录。',
    errorTitle: '医云 · 出错了',
    errorHeading: '请求无法完成',
    language: 'English',
    'invalid-credentials': '用户名或密码错误。',
    locked: '登录失败次数过多，账户已暂时锁定，请 {minutes} 分钟后重试。',
    'rate-limited': '尝试过于频繁，请 {minutes} 分钟后重试。',
    disabled: '该账户已停用，请联系所在机构管理员。',
    'totp-required': '请输入身份验证器中的 6 位动态验证码。',
    'totp-invalid': '动态验证码错误，请重试。',
    'form-expired': '页面已过期，请重新登录。',
    'patient-required': '请输入有效的患者 ID。',
  },
  en: {
    title: 'Yiyun · Sign in',
    heading: 'Sign in to Yiyun',
    username: 'Username',
    password: 'Password',
    totp: 'Authenticator code (6 digits)',
    signIn: 'Sign in',
    consentTitle: 'Yiyun · Authorise',
    consentHeading: 'Authorise an app',
    consentIntro: 'The app “{client}” asks to:',
    patientId: 'Patient ID',
    patientHint: 'Enter the ID of the patient to work on',
    allow: 'Allow',
    deny: 'Deny',
    logoutTitle: 'Yiyun · Sign out',
    logoutHeading: 'Sign out?',
    logoutYes: 'Sign out',
    loggedOut: 'You have signed out.',
    errorTitle: 'Yiyun · Error',
    errorHeading: 'The request could not be completed',
    language: '中文',
    'invalid-credentials': 'Incorrect username or password.',
    locked: 'Too many failed sign-ins: the account is locked. Try again in {minutes} minutes.',
    'rate-limited': 'Too many attempts. Try again in {minutes} minutes.',
    disabled: 'This account is disabled. Contact your institution administrator.',
    'totp-required': 'Enter the 6-digit code from your authenticator app.',
    'totp-invalid': 'The authenticator code is incorrect. Try again.',
    'form-expired': 'This page has expired. Please sign in again.',
    'patient-required': 'Enter a valid patient ID.',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof MESSAGES)['zh-CN'];
export type FailureKey = AuthenticationFailure | 'form-expired' | 'patient-required';

export function t(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** `?lang=en|zh-CN` first, then Accept-Language (first supported tag wins), else zh-CN. */
export function pickLocale(query: string | undefined, acceptLanguage: string | undefined): Locale {
  if (query === 'en') return 'en';
  if (query === 'zh' || query === 'zh-CN') return 'zh-CN';
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}
