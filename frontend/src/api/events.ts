// The event (repair café session) shapes of the contract, under the names the SPA uses.
// PROVISIONAL: written from the agreed contract until the backend's generated schema lands;
// after that this file only re-exports from ./schema.
import type { RepairStatus, TriageAnswer } from './schema'

export type Skill = 'electrical' | 'textile' | 'bicycles' | 'computers' | 'mechanical' | 'other'

export interface RepairEvent {
  eventId: string
  groupIdentifier: string
  place: string
  address: string
  postcode: string
  startsAt: string
  endsAt: string
  capacity: number
  seatsLeft: number
  categories: string[]
  skills: Skill[]
  distanceKm?: number | null
}

export interface StaffEvent extends RepairEvent {
  booked: number
  checkedIn: number
  version: number
  createdAt: string
  updatedAt: string
}

export interface EventList {
  items: RepairEvent[]
}

export interface StaffEventList {
  items: StaffEvent[]
}

export interface EventRequest {
  groupIdentifier: string
  place: string
  address: string
  postcode: string
  startsAt: string
  endsAt: string
  capacity: number
  categories: string[]
  skills: Skill[]
}

export type EventUpdate = Partial<EventRequest>

export type BookingStatus = 'booked' | 'checkedIn' | 'cancelled'

export interface Booking {
  eventId: string
  place: string
  address: string
  startsAt: string
  endsAt: string
  status: BookingStatus
  ticket?: number | null
}

export interface EventItem {
  repairId: string
  status: RepairStatus
  bookingStatus: BookingStatus
  ticket?: number | null
  productCategory: string | null
  description?: string | null
  likelyOutcome?: string | null
  likelyBarrier?: string | null
  similarRepairs?: TriageAnswer['similarRepairs']
  hasPhoto: boolean
  claimedBy?: string | null
  version: number
  hints: string[]
}

export interface EventItems {
  event: StaffEvent
  items: EventItem[]
  hints: string[]
}

export interface WalkInRequest {
  description: string
  productCategory?: string
  imageId?: string
  language: 'de' | 'en' | 'fr' | 'nl'
}

export interface EventSummary {
  event: StaffEvent
  seen: number
  fixed: number
  repairable: number
  endOfLife: number
  noOutcome: number
  barriers: Record<string, number>
  openItems: string[]
}

/** The tracking answer with its booking (the backend adds `booking` to TrackedRepair). */
export type TrackedRepairWithBooking = import('./schema').TrackedRepair & { booking?: Booking | null }

/** The request body with the event to book in the same write. */
export type RepairRequestWithEvent = import('./schema').RepairRequest & { eventId?: string }
