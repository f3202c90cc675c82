// Analyses already in hand: the report screen hands its result to the triage screen without a
// second request. The problem description is not part of the analysis (docs/api.md `inputs` has
// no description), so it is kept per analysis in sessionStorage to re-run the triage with a
// picked category after a reload. Tab-scoped: gone when the tab closes.
import type { Analysis } from '../api/types'

const analyses = new Map<string, Analysis>()
const DESCRIPTION_PREFIX = 'repairapp.description.'

export function rememberAnalysis(analysis: Analysis, description: string): void {
  analyses.set(analysis.analysisId, analysis)
  try {
    sessionStorage.setItem(DESCRIPTION_PREFIX + analysis.analysisId, description)
  } catch {
    // Storage full or disabled: a re-run after reload will ask for the description again.
  }
}

export function cachedAnalysis(analysisId: string): Analysis | undefined {
  return analyses.get(analysisId)
}

export function rememberedDescription(analysisId: string): string | null {
  try {
    return sessionStorage.getItem(DESCRIPTION_PREFIX + analysisId)
  } catch {
    return null
  }
}
