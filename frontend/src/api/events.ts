// The event (repair café session) shapes, under the names the SPA uses. All come from the
// generated ./schema (repairapp/openapi.json); this file only names them for the event screens.
import type {
  Booking,
  Event,
  EventChange,
  EventInput,
  EventItem,
  EventItems,
  EventList,
  EventSummary,
  RepairRequest,
  StaffEvent,
  StaffEventList,
  TrackedRepair,
  WalkInRequest,
} from './schema'

export type {
  Booking,
  EventItem,
  EventItems,
  EventList,
  EventSummary,
  StaffEvent,
  StaffEventList,
  WalkInRequest,
}
/** `Event` would shadow the DOM's Event type in components. */
export type RepairEvent = Event
export type EventRequest = EventInput
export type EventUpdate = EventChange
export type Skill = Event['skills'][number]
export type BookingStatus = Booking['status']
export type TrackedRepairWithBooking = TrackedRepair
export type RepairRequestWithEvent = RepairRequest
