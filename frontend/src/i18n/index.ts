// Language: the remembered choice, else the browser's first supported language, else English.
// Only the active language's messages are downloaded (each locale is its own small chunk).
import { createI18n } from 'vue-i18n'
import type { MessageSchema } from './locales/en'

export const LOCALES = ['nl', 'fr', 'en', 'de'] as const
export type Locale = (typeof LOCALES)[number]

/** Names shown in the switcher, each in its own language. */
export const LOCALE_NAMES: Record<Locale, string> = {
  nl: 'Nederlands',
  fr: 'Français',
  en: 'English',
  de: 'Deutsch',
}

const STORAGE_KEY = 'repairapp.locale'

const loaders: Record<Locale, () => Promise<{ default: MessageSchema }>> = {
  nl: () => import('./locales/nl'),
  fr: () => import('./locales/fr'),
  en: () => import('./locales/en'),
  de: () => import('./locales/de'),
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** `nl-BE` → `nl`; the first browser language we support wins. */
export function detectLocale(stored: string | null, browserLanguages: readonly string[]): Locale {
  if (isLocale(stored)) return stored
  for (const language of browserLanguages) {
    const base = language.toLowerCase().split('-')[0]
    if (isLocale(base)) return base
  }
  return 'en'
}

function readStoredLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null // storage disabled (private mode in some browsers)
  }
}

export function initialLocale(): Locale {
  const languages = navigator.languages?.length ? navigator.languages : [navigator.language]
  return detectLocale(readStoredLocale(), languages)
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'en',
  // Every locale is complete (a unit test checks it), so no fallback is loaded.
  fallbackLocale: false,
  messages: {} as Record<Locale, MessageSchema>,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
})

/** Loads the messages if needed, switches, and remembers the choice when `remember` is set. */
export async function setLocale(locale: Locale, remember = false): Promise<void> {
  if (!i18n.global.availableLocales.includes(locale)) {
    const messages = await loaders[locale]()
    i18n.global.setLocaleMessage(locale, messages.default)
  }
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale)
    } catch {
      // Not remembered: the switch still works for this visit.
    }
  }
}
