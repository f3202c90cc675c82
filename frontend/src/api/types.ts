// Response and request shapes of the RepairApp API, as written in docs/api.md (the contract).
// Vocabulary values (categories, outcomes, barriers) are the English Open Repair Data names in
// both directions; the UI shows them in its own language (i18n/vocabulary.ts).

export type Language = 'en' | 'nl' | 'fr' | 'de'

export type OutcomeLabel = 'Fixed' | 'Repairable' | 'End of life'

export interface Health {
  service: string
  version: string
  checks: Record<string, unknown>
  ok: boolean
}

export interface Vocabulary {
  categories: string[]
  outcomes: string[]
  barriers: string[]
  languages: string[]
}

export interface Upload {
  imageId: string
  url: string
  fields: Record<string, string>
  maxBytes: number
  expiresAt: string
}

export interface LabelConfidence {
  label: string
  confidence: number
}

/** The most likely barrier if the item ends its life (given whatever the outcome), and the top 3. */
export interface BarrierPrediction extends LabelConfidence {
  top3?: LabelConfidence[]
}

export interface ProductCategoryPrediction extends LabelConfidence {
  recognised: boolean
  top3: LabelConfidence[]
}

export interface OutcomePrediction {
  fixed: number
  repairable: number
  endOfLife: number
  predicted: OutcomeLabel
}

export type Severity = 'danger' | 'warning' | 'info'

export interface SafetyWarning {
  code: string
  severity: Severity | string
  message: string
  advice: string
  /** The same warning in every UI language, so a language switch needs no new request. */
  translations?: Partial<Record<Language, { message: string; advice: string }>>
}

export interface Advice {
  productId: string
  name: string
  typicalRepair: string
  commonFaults: string[]
  /** The same advice in every UI language (analyses made before it existed have none). */
  translations?: Partial<Record<Language, AdviceText>>
}

export interface AdviceText {
  name: string
  typicalRepair: string
  commonFaults: string[]
}

/** One real past repair from Open Repair Data (CC BY-SA 4.0: show `SimilarRepairs.attribution`). */
export interface SimilarRecord {
  year: number | null
  network: string
  category: string
  brand: string | null
  problem: string
  outcome: OutcomeLabel
  barrier: string | null
  similarity?: number
}

export interface SimilarRepairs {
  category: string
  /** How many past repairs of the category the shares are counted from. */
  recordCount: number
  fixed: number
  repairable: number
  endOfLife: number
  topBarriers: { label: string; share: number }[]
  /** Up to five real records most like this repair (same category first). */
  records: SimilarRecord[]
  attribution: string
}

/** The item the description names, over every Open Repair Data category. */
export interface CategoryFromText extends LabelConfidence {
  top3: LabelConfidence[]
}

export interface MissingPart {
  part: string
  reason: string
}

export interface Analysis {
  analysisId: string
  /** Only in the triage answer: the key to read this analysis again (it holds personal data). */
  analysisToken?: string
  productCategory: ProductCategoryPrediction | null
  categoryFromText?: CategoryFromText | null
  outcome: OutcomePrediction
  barrier: BarrierPrediction | null
  safetyWarnings: SafetyWarning[]
  advice: Advice | null
  similarRepairs: SimilarRepairs | null
  partial: boolean
  missing: MissingPart[]
  modelVersions: Record<string, string>
  inputs: {
    imageId: string | null
    /** The citizen's own words, as sent: what a re-run with a picked category sends again. */
    description: string | null
    productCategory: string | null
    brand: string | null
    productAgeYears: number | null
    language: Language | string
  }
  createdAt: string
}

export interface TriageRequest {
  imageId?: string
  description: string
  productCategory?: string
  brand?: string
  productAgeYears?: number
  language: Language
}

export interface RepairRequest {
  analysisId: string
  contact: { name: string; email: string }
  postcode: string
  consent: true
  /** The language of the mails RepairApp sends (default: the triage's). */
  language?: Language
}

export interface RepairCreated {
  repairId: string
  trackingToken: string
  trackingUrl: string
}

export const OPEN_STATUSES = ['submitted', 'accepted', 'in_repair'] as const
export const CLOSED_STATUSES = ['fixed', 'repairable', 'end_of_life', 'cancelled'] as const
export const STATUSES = [...OPEN_STATUSES, ...CLOSED_STATUSES] as const
export type RepairStatus = (typeof STATUSES)[number]

export interface HistoryEntry {
  status: RepairStatus
  at: string
  /** Staff's message to the visitor, shown on the tracking page. */
  publicMessage?: string | null
}

/** A history entry as staff see it: with the note the visitor never sees. */
export interface StaffHistoryEntry extends HistoryEntry {
  internalNote?: string | null
}

/** What the owner sees with their tracking token. */
export interface TrackedRepair {
  repairId: string
  status: RepairStatus
  history: HistoryEntry[]
  productCategory: string | null
  analysis: Analysis | null
  createdAt: string
  updatedAt: string
}

export interface StaffSession {
  idToken: string
  expiresIn: number
  username: string
  roles: string[]
}

/** A queue row. The contract says only `items: [...]`; these are the fields the UI relies on. */
export interface RepairSummary {
  repairId: string
  status: RepairStatus
  productCategory: string | null
  postcode?: string
  createdAt: string
  updatedAt: string
}

export interface RepairPage {
  items: RepairSummary[]
  nextCursor: string | null
}

/**
 * The full request for staff: contact data and the version used for If-Match. `contact` is null
 * once a closed request has dropped its personal data (issue 5: a closed request keeps only the
 * analysis).
 */
export interface StaffRepair extends TrackedRepair {
  history: StaffHistoryEntry[]
  contact: { name: string; email: string } | null
  postcode: string
  version: number | string
  outcome?: OutcomeLabel | null
  barrier?: string | null
  closedAt?: string | null
}

/** A short-lived link to a request's photo (staff only); `deletedAfter`: when the photo goes. */
export interface PhotoLink {
  url: string
  expiresAt: string
  deletedAfter: string
}

/**
 * A PATCH always moves the status on (the API refuses a request staying where it is), so a
 * category correction travels with a status change.
 */
export interface RepairUpdate {
  status: RepairStatus
  outcome?: OutcomeLabel
  barrier?: string
  /** Shown to the visitor on the tracking page. */
  publicMessage?: string
  /** Staff only. */
  internalNote?: string
  /** An Open Repair Data category (English name) replacing the current one. */
  productCategory?: string
}

export interface CategoryStats {
  category: string
  total: number
  fixed: number
  repairable: number
  endOfLife: number
}

/** One text per UI language; English is required (it is the fallback). */
export type LocalisedText = Partial<Record<Language, string>> & { en: string }

export interface ProductUpdate {
  category: string
  name: LocalisedText
  typicalRepair: LocalisedText
  commonFaults: Partial<Record<Language, string[]>>
}

/** A catalogue entry: the advice a triage for this category shows. */
export interface Product extends ProductUpdate {
  productId: string
  version: number
  updatedAt?: string
}

export interface ProductList {
  items: Product[]
}

export interface Stats {
  byStatus: Partial<Record<RepairStatus, number>>
  byCategory: CategoryStats[]
  shareFixed: number
  impact: {
    kgWasteAvoided: number
    kgCo2eAvoided: number
    source: string
    sourceTitle?: string
    sourceLicence?: string
    /** YYYY-MM-DD: the date of the factors' data */
    sourceDate?: string
    sourceUrl?: string
    /** Categories without published factors: their fixes are not in the totals. */
    notEstimated?: string[]
  }
}

export interface RepairQuery {
  status?: string
  category?: string
  cursor?: string
  limit?: number
}
