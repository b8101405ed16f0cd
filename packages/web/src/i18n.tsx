import { createInstance, type i18n as I18n } from 'i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

/** Languages the app ships; zh-CN first (the default, issue #7 §6). */
export const LANGUAGES = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'yiyun.lang';

function isLanguage(value: string | null): value is LanguageCode {
  return LANGUAGES.some((l) => l.code === value);
}

/** The language chosen earlier in this browser, else zh-CN (never the browser's own guess). */
export function storedLanguage(storage: Storage | undefined): LanguageCode {
  const value = storage?.getItem(STORAGE_KEY) ?? null;
  return isLanguage(value) ? value : 'zh-CN';
}

/**
 * One i18next instance per app root (passed down by I18nextProvider, not registered globally), so tests
 * and several roots can coexist. The chosen language is remembered and mirrored on <html lang>.
 */
export async function createI18n(storage: Storage | undefined): Promise<I18n> {
  const i18n = createInstance();
  await i18n.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: storedLanguage(storage),
    fallbackLng: 'zh-CN',
    supportedLngs: LANGUAGES.map((l) => l.code),
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
  });
  i18n.on('languageChanged', (lng) => {
    storage?.setItem(STORAGE_KEY, lng);
    document.documentElement.lang = lng;
  });
  document.documentElement.lang = i18n.language;
  return i18n;
}
