// Locale-aware number and date formatting (Intl directly: vue-i18n's formatters need per-locale
// configuration that Intl already has).

/**
 * The UI language with Belgian conventions (27/11, 16:01) for the country's languages; English
 * uses British conventions (5,123), as "5.123" reads as a decimal to an English reader.
 */
export function regional(locale: string): string {
  if (locale.includes('-')) return locale
  return locale === 'en' ? 'en-GB' : `${locale}-BE`
}

export function percent(value: number, locale: string): string {
  return new Intl.NumberFormat(regional(locale), { style: 'percent', maximumFractionDigits: 0 }).format(value)
}

/** A model's confidence: never shown as 100 %, which would read as a promise. */
export function confidence(value: number, locale: string): string {
  return percent(Math.min(value, 0.99), locale)
}

export function integer(value: number, locale: string): string {
  return new Intl.NumberFormat(regional(locale), { maximumFractionDigits: 0 }).format(value)
}

/** A calendar date (YYYY-MM-DD, no time zone) written out in the UI language. */
export function longDate(day: string, locale: string): string {
  const date = new Date(`${day}T12:00:00Z`)
  if (Number.isNaN(date.getTime())) return day
  return new Intl.DateTimeFormat(regional(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(date)
}

export function dateTime(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(regional(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}
