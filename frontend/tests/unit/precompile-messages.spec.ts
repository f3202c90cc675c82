// The build step that turns locale files into vue-i18n ASTs (so the bundle ships no compiler).
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { compileTree } from '../../build/precompile-messages'
import en from '../../src/i18n/locales/en'

describe('compileTree', () => {
  it('compiles every English message into an AST that vue-i18n renders like the string', () => {
    const compiled = compileTree(en, '') as typeof en
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: compiled } })
    expect(i18n.global.t('validation.email')).toBe('Enter an e-mail address like name@example.be.')
    expect(i18n.global.t('errors.unavailable', { seconds: 4 })).toBe('The service is busy. Please try again in 4 seconds.')
  })

  it('fails the build with the key of a broken message', () => {
    expect(() => compileTree({ report: { title: 'Hello {name' } }, '')).toThrow(/report\.title/)
  })
})
