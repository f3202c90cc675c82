// Analyses already in hand: the report screen hands its result to the triage screen without a
// second request. Nothing else is kept: the analysis carries the description it was made from
// (`inputs.description`), so a re-run with a picked category works after a reload or from a link.
import type { TriageAnswer as Analysis } from '../api/schema'

const analyses = new Map<string, Analysis>()

export function rememberAnalysis(analysis: Analysis): void {
  analyses.set(analysis.analysisId, analysis)
}

export function cachedAnalysis(analysisId: string): Analysis | undefined {
  return analyses.get(analysisId)
}
