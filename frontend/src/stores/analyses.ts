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

// The photo the person sent, for as long as this page lives: the result shows their own photo
// beside their words. It never leaves the tab (after a reload the result shows the words only).
const photos = new Map<string, Blob>()

export function rememberPhoto(analysisId: string, photo: Blob): void {
  photos.set(analysisId, photo)
}

export function cachedPhoto(analysisId: string): Blob | undefined {
  return photos.get(analysisId)
}
