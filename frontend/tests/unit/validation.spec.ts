import { describe, expect, it } from 'vitest'
import { ageProblem, consentProblem, descriptionProblem, emailProblem, nameProblem, postcodeProblem } from '../../src/lib/validation'

describe('Belgian postcode', () => {
  it.each(['1000', '9992', '3000', ' 2000 '])('accepts %j', (value) => expect(postcodeProblem(value)).toBeNull())
  it.each(['0999', '9993', '999', '12345', 'abcd', '10 00', '1e03'])('rejects %j', (value) =>
    expect(postcodeProblem(value)).toBe('validation.postcode'),
  )
  it('asks for a missing postcode', () => expect(postcodeProblem('  ')).toBe('validation.required'))
})

describe('e-mail', () => {
  it.each(['ann@example.be', 'a.b+c@sub.example.org'])('accepts %j', (value) => expect(emailProblem(value)).toBeNull())
  it.each(['ann', 'ann@', 'ann@example', 'a n@example.be', '@example.be', `${'a'.repeat(250)}@x.be`])(
    'rejects %j',
    (value) => expect(emailProblem(value)).toBe('validation.email'),
  )
})

describe('other fields', () => {
  it('requires consent', () => {
    expect(consentProblem(false)).toBe('validation.consent')
    expect(consentProblem(true)).toBeNull()
  })
  it('limits the name like the API does (a 5 kB name is refused)', () => {
    expect(nameProblem('x'.repeat(5000))).toBe('validation.tooLong')
    expect(nameProblem('')).toBe('validation.required')
    expect(nameProblem('An')).toBeNull()
  })
  it('wants a few words of description', () => {
    expect(descriptionProblem('bad')).toBe('validation.description')
    expect(descriptionProblem('the lid does not close')).toBeNull()
  })
  it('takes an optional age in whole years', () => {
    expect(ageProblem('')).toBeNull()
    expect(ageProblem('4')).toBeNull()
    expect(ageProblem('4.5')).toBe('validation.age')
    expect(ageProblem('-1')).toBe('validation.age')
    expect(ageProblem('101')).toBe('validation.age')
  })
})
