// Language-specific punctuation for texts the SPA does not own (advice, common faults, safety
// messages from SmartRe's catalogue, which coordinators type with ordinary spaces). French puts a
// no-break space before `:` and inside « », and a narrow no-break space before `;` `?` `!` and `%`,
// so the sign never starts a line. The locale files follow the same rule (a unit test checks it).

const NBSP = '\u00a0'
const NNBSP = '\u202f'
const SPACE = `[ ${NBSP}${NNBSP}]?`

const FRENCH: [RegExp, string][] = [
  // `:` only when it ends a clause (not in 16:01 or https://).
  [new RegExp(`${SPACE}:(?=\\s|$)`, 'gu'), `${NBSP}:`],
  [new RegExp(`(?<=[\\p{L}\\p{N})}»"'’])${SPACE}([;!?]+)`, 'gu'), `${NNBSP}$1`],
  [new RegExp(`(?<=\\p{N})${SPACE}%`, 'gu'), `${NNBSP}%`],
  [new RegExp(`«${SPACE}`, 'gu'), `«${NBSP}`],
  [new RegExp(`${SPACE}»`, 'gu'), `${NBSP}»`],
]

/** `text` with the punctuation spacing of `locale` (only French has rules of its own). */
export function typeset(text: string, locale: string): string {
  if (!locale.startsWith('fr')) return text
  return FRENCH.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text)
}
