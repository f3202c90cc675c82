// Client-side checks that mirror the API's (issue 5): they give instant, specific messages;
// the server still validates everything. Each returns the i18n key of the problem, or null.

export const NAME_MAX = 200
export const EMAIL_MAX = 254 // RFC 5321 path limit
export const DESCRIPTION_MIN = 5
export const DESCRIPTION_MAX = 2000

/** Belgian postcodes: four digits, 1000–9992 (bpost). */
export function postcodeProblem(value: string): string | null {
  const trimmed = value.trim()
  if (trimmed === '') return 'validation.required'
  if (!/^\d{4}$/.test(trimmed)) return 'validation.postcode'
  const number = Number(trimmed)
  return number >= 1000 && number <= 9992 ? null : 'validation.postcode'
}

/** Deliberately simple: one @, a dot in the domain, no spaces. The server has the last word. */
export function emailProblem(value: string): string | null {
  const trimmed = value.trim()
  if (trimmed === '') return 'validation.required'
  if (trimmed.length > EMAIL_MAX) return 'validation.email'
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) ? null : 'validation.email'
}

export function nameProblem(value: string): string | null {
  const trimmed = value.trim()
  if (trimmed === '') return 'validation.required'
  return trimmed.length > NAME_MAX ? 'validation.tooLong' : null
}

export function descriptionProblem(value: string): string | null {
  const trimmed = value.trim()
  if (trimmed.length < DESCRIPTION_MIN) return 'validation.description'
  return trimmed.length > DESCRIPTION_MAX ? 'validation.tooLong' : null
}

export function consentProblem(value: boolean): string | null {
  return value ? null : 'validation.consent'
}

/** Age in whole years, 0–100, optional. */
export function ageProblem(value: string): string | null {
  if (value.trim() === '') return null
  const number = Number(value)
  return Number.isInteger(number) && number >= 0 && number <= 100 ? null : 'validation.age'
}
