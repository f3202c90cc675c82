// Locale-aware number and date formatting (Intl directly: vue-i18n's formatters need per-locale
// configuration that Intl already has).

/** The UI language with Belgian conventions (27/11, 5.123, 16:01): the service is for Belgium. */
export function regional(locale: string): string {
  return locale.includes('-') ? locale : `${locale}-BE`
}

export function percent(value: number, locale: string): string {
  return new Intl.NumberFormat(regional(locale), { style: 'percent', maximumFractionDigits: 0 }).format(value)
}

export function integer(value: number, locale: string): string {
  return new Intl.NumberFormat(regional(locale), { maximumFractionDigits: 0 }).format(value)
}

export function dateTime(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(regional(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}
