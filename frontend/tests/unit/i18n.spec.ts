// Every locale has every message, and every message compiles.
import { describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { detectLocale } from '../../src/i18n'
import en from '../../src/i18n/locales/en'
import nl from '../../src/i18n/locales/nl'
import fr from '../../src/i18n/locales/fr'
import de from '../../src/i18n/locales/de'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([name, value]) =>
    typeof value === 'object' && value !== null ? keys(value, `${prefix}${name}.`) : [`${prefix}${name}`],
  )
}

describe('detectLocale', () => {
  it('prefers the remembered choice', () => expect(detectLocale('fr', ['nl-BE'])).toBe('fr'))
  it('takes the first supported browser language', () => expect(detectLocale(null, ['es-ES', 'nl-BE', 'fr'])).toBe('nl'))
  it('ignores a remembered value that is not a locale', () => expect(detectLocale('xx', ['de-DE'])).toBe('de'))
  it('falls back to English', () => expect(detectLocale(null, ['ja'])).toBe('en'))
})

describe('messages', () => {
  const locales = { en, nl, fr, de }

  it.each(Object.entries(locales))('%s has exactly the English keys', (_, messages) => {
    expect(keys(messages).sort()).toEqual(keys(en).sort())
  })

  it.each(Object.entries(locales))('%s: every message compiles and resolves', (locale, messages) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const i18n = createI18n({ legacy: false, locale, messages: { [locale]: messages } })
    for (const key of keys(messages)) {
      const text = i18n.global.t(key, { seconds: 5, percent: '50%', label: 'L', name: 'N', kg: 1, part: 'p', reason: 'r',
        outcome: 'o', records: 1, category: 'c', width: 1, height: 1, kb: 1, status: 's', source: 'x', message: 'm', categories: 'c' })
      expect(text, key).not.toBe(key)
      expect(text, key).not.toMatch(/[{}]/)
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })
})
