import { describe, expect, it } from 'vitest';
import { describeScope } from '../smart/describe.ts';
import { pickLocale, t } from './i18n.ts';
import { escapeHtml, loginBody } from './pages.ts';

describe('sign-in page language and markup', () => {
  it('picks zh-CN by default, en by query or Accept-Language', () => {
    expect(pickLocale(undefined, undefined)).toBe('zh-CN');
    expect(pickLocale('en', 'zh-CN')).toBe('en');
    expect(pickLocale(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(pickLocale(undefined, 'fr-FR, en;q=0.5, zh;q=0.8')).toBe('zh-CN');
    expect(pickLocale(undefined, 'de-DE')).toBe('zh-CN');
  });

  it('fills message variables', () => {
    expect(t('zh-CN', 'locked', { minutes: 15 })).toContain('15 分钟');
    expect(t('en', 'locked', { minutes: 3 })).toContain('3 minutes');
  });

  it('escapes what it renders and labels every field', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
    const html = loginBody({
      locale: 'en',
      action: '/a',
      csrf: 'c',
      username: '"><script>',
      showTotp: true,
      switchHref: '/a?lang=zh-CN',
    });
    expect(html).not.toContain('<script>');
    for (const id of ['username', 'password', 'totp']) {
      expect(html).toContain(`<label for="${id}">`);
      expect(html).toContain(`id="${id}"`);
    }
  });

  it('describes scopes in plain language', () => {
    expect(describeScope('patient/Observation.rs', 'zh-CN')).toBe('读取、搜索所选患者的检查检验结果与体征');
    expect(describeScope('user/*.cruds', 'en')).toBe(
      'Create, read, update, delete, search all health data that you may access',
    );
    expect(describeScope('launch/patient', 'en')).toBe('Choose a patient for the app to work on');
  });
});
