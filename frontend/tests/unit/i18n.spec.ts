// Every locale has every message, every message compiles, and the Open Repair Data vocabulary
// the API speaks is translated in full.
import { describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import { detectLocale, type Locale } from '../../src/i18n'
import { useVocabulary, type VocabularyLabels } from '../../src/i18n/vocabulary'
import en from '../../src/i18n/locales/en'
import nl from '../../src/i18n/locales/nl'
import fr from '../../src/i18n/locales/fr'
import de from '../../src/i18n/locales/de'
import { makeI18n } from './helpers'
// The contract: RepairApp's OpenAPI document lists every value GET /api/vocabulary can return.
import openapi from '../../../repairapp/openapi.json'

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
        outcome: 'o', records: 1, category: 'c', width: 1, height: 1, kb: 1, status: 's', source: 'x', title: 't', licence: 'l', date: 'd', value: 'v', text: 'x', message: 'm', categories: 'c',
        count: 1, capacity: 2, km: 3, place: 'p', when: 'w', booked: 1, ticket: 1 })
      expect(text, key).not.toBe(key)
      expect(text, key).not.toMatch(/[{}]/)
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })
})

describe('Open Repair Data vocabulary', () => {
  const contract = (name: 'categories' | 'outcomes' | 'barriers'): string[] =>
    openapi.components.schemas.Vocabulary.properties[name].items.enum

  it.each([
    ['categories', 46],
    ['outcomes', 3],
    ['barriers', 6],
  ] as const)('translates exactly the %s of the contract (%i)', (group, count) => {
    expect(contract(group)).toHaveLength(count)
    for (const messages of [en, nl, fr, de]) expect(Object.keys(messages[group]).sort()).toEqual([...contract(group)].sort())
  })

  function labels(locale: Locale): VocabularyLabels {
    let found: VocabularyLabels | null = null
    mount(defineComponent({ setup: () => ((found = useVocabulary()), () => h('p')) }), { global: { plugins: [makeI18n(locale)] } })
    return found!
  }

  it('shows the English ORDS names in the UI language', () => {
    expect(labels('nl').category('Kettle')).toBe('Waterkoker')
    expect(labels('fr').category('Unpowered - Textile')).toBe('Vêtement ou textile')
    expect(labels('de').category('Hair & beauty item')).toBe('Haar- oder Pflegegerät')
    expect(labels('de').category('Aircon/dehumidifier')).toBe('Klimagerät oder Luftentfeuchter')
    expect(labels('fr').outcome('End of life')).toBe('Fin de vie')
    expect(labels('nl').barrier('Spare parts too expensive')).toBe('Reserveonderdelen te duur')
    expect(labels('en').category('Mobile')).toBe('Mobile phone')
  })

  it('knows the spelling of the repair records for a barrier (SmartRe sends it)', () => {
    expect(labels('fr').barrier('Item too worn out')).toBe('Trop usé')
    expect(labels('en').barrier('Item too worn out')).toBe('Too worn out')
  })

  it('shows a value it has no translation for as the API sent it', () => {
    const en = labels('en')
    expect(en.category('Hoverboard')).toBe('Hoverboard')
    expect(en.category('Cars.Electric')).toBe('Cars.Electric') // path syntax is never looked up
    expect(en.barrier('')).toBe('')
  })
})

describe('one register and one typography per language', () => {
  function values(tree: object): string[] {
    return Object.values(tree).flatMap((value) => (typeof value === 'object' && value !== null ? values(value) : [String(value)]))
  }

  it('Dutch says "je", never "u" or "uw"', () => {
    for (const text of values(nl)) expect(text, text).not.toMatch(/\b(u|uw|U|Uw)\b/)
  })

  it('French has a no-break space before : and a narrow one before ; ? ! and %', () => {
    for (const text of values(fr)) {
      expect(text, text).not.toMatch(/[^\u00a0]:(\s|$)/)
      expect(text, text).not.toMatch(/[^\u202f][;?!]/)
      expect(text, text).not.toMatch(/\d ?%/)
    }
  })
})

describe('typeset', () => {
  it('spaces French punctuation', async () => {
    const { typeset } = await import('../../src/lib/typography')
    expect(typeset('Conseils: Laptop', 'fr')).toBe('Conseils\u00a0: Laptop')
    expect(typeset('disponibles : 22 %', 'fr')).toBe('disponibles\u00a0: 22\u202f%')
    expect(typeset('Cassé ? Oui; vraiment!', 'fr')).toBe('Cassé\u202f? Oui\u202f; vraiment\u202f!')
    expect(typeset('le voyant « plein »', 'fr')).toBe('le voyant «\u00a0plein\u00a0»')
  })

  it('leaves times, links and other languages alone', async () => {
    const { typeset } = await import('../../src/lib/typography')
    expect(typeset('à 16:01 sur https://example.be', 'fr')).toBe('à 16:01 sur https://example.be')
    expect(typeset('Advice: Laptop?', 'en')).toBe('Advice: Laptop?')
  })
})
