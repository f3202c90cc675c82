// The repair vocabulary the UI needs beyond what /api/vocabulary lists: which status follows
// which (the contract's state machine), their order, and how statuses map to Open Repair Data
// outcomes.
import type { RepairOutcome as OutcomeLabel, RepairStatus } from '../api/schema'

/** Every status in the order of a request's life (the filters and the stats list them so). */
export const STATUSES = [
  'submitted',
  'accepted',
  'in_repair',
  'fixed',
  'repairable',
  'end_of_life',
  'cancelled',
] as const satisfies readonly RepairStatus[]
// Fails to compile when the API gains a status this list lacks.
const everyStatusListed: Exclude<RepairStatus, (typeof STATUSES)[number]> extends never ? true : never = true
void everyStatusListed

export const NEXT_STATUSES: Record<RepairStatus, RepairStatus[]> = {
  submitted: ['accepted', 'cancelled'],
  accepted: ['in_repair', 'cancelled'],
  in_repair: ['fixed', 'repairable', 'end_of_life', 'cancelled'],
  fixed: [],
  repairable: [],
  end_of_life: [],
  cancelled: [],
}

export const OUTCOME_BY_STATUS: Partial<Record<RepairStatus, OutcomeLabel>> = {
  fixed: 'Fixed',
  repairable: 'Repairable',
  end_of_life: 'End of life',
}

/** The steps of the tracking timeline; a closed request ends on its own final status. */
export const TIMELINE_STEPS: RepairStatus[] = ['submitted', 'accepted', 'in_repair']

export function isClosed(status: RepairStatus): boolean {
  return NEXT_STATUSES[status].length === 0
}
