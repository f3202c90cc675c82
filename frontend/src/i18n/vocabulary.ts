// Open Repair Data values in the UI language. The API speaks the English ORDS names in both
// directions (categories, outcomes, barriers); the UI only translates them for display. The
// translations are ordinary locale messages (`categories.*`, `outcomes.*`, `barriers.*`), so
// they come with the active language's chunk and nothing else is downloaded. A value without a
// translation (say, a category added to the standard later) is shown as the API sent it.
import { useI18n } from 'vue-i18n'

export type VocabularyGroup = 'categories' | 'outcomes' | 'barriers'

/** vue-i18n reads these as key-path syntax, so such a value can never be a message key. */
const PATH_SYNTAX = /[.[\]'"]/

/**
 * Other spellings the API sends for a value of the contract's lists: SmartRe's outcome model and
 * similar-repairs figures name a barrier as the repair records spell it ("Item too worn out").
 */
const ALIASES: Partial<Record<VocabularyGroup, Record<string, string>>> = {
  barriers: { 'Item too worn out': 'Too worn out' },
}

export interface VocabularyLabels {
  category: (value: string) => string
  outcome: (value: string) => string
  barrier: (value: string) => string
}

export function useVocabulary(): VocabularyLabels {
  const { t, te } = useI18n()
  function label(group: VocabularyGroup, value: string): string {
    if (!value || PATH_SYNTAX.test(value)) return value
    const key = `${group}.${ALIASES[group]?.[value] ?? value}`
    return te(key) ? t(key) : value
  }
  return {
    category: (value) => label('categories', value),
    outcome: (value) => label('outcomes', value),
    barrier: (value) => label('barriers', value),
  }
}
