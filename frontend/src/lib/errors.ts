// Turns any thrown value into the i18n message the person sees. Unknown values (bugs) get the
// generic message rather than a raw exception text.
import { ApiError } from '../api/client'
import { PhotoError } from './image'

export interface ErrorText {
  key: string
  params: Record<string, unknown>
  /** The server's own message, shown for input errors where it names the field. */
  detail: string | null
  retryable: boolean
  /** Seconds to wait before a retry can help (503 with Retry-After); 0 when there is no wait. */
  waitSeconds: number
}

const EVENT_ERROR_CODES = new Set([
  'EventFull',
  'EventClosed',
  'CategoryNotAccepted',
  'NoSuchEvent',
  'RepairClosed',
  'AlreadyCheckedIn',
  'CapacityBelowBookings',
  'InvalidPostcode',
  'NoSuchBooking',
  'BookingCancelled',
  'EventInPast',
  'EndsBeforeStarts',
])

export function describeError(error: unknown): ErrorText {
  if (error instanceof PhotoError) {
    return { key: `errors.${error.kind}`, params: {}, detail: null, retryable: false, waitSeconds: 0 }
  }
  if (error instanceof ApiError) {
    if (error.kind === 'unavailable') {
      const seconds = error.retryAfterSeconds
      return seconds !== null && seconds > 0
        ? { key: 'errors.unavailable', params: { seconds }, detail: null, retryable: true, waitSeconds: seconds }
        : { key: 'errors.unavailableNow', params: {}, detail: null, retryable: true, waitSeconds: 0 }
    }
    // The event routes' own codes say exactly what happened (full, started, wrong kind of item).
    if (EVENT_ERROR_CODES.has(error.code)) {
      return { key: `events.errors.${error.code}`, params: {}, detail: null, retryable: false, waitSeconds: 0 }
    }
    const detail = error.kind === 'invalidInput' && error.message ? error.message : null
    return { key: `errors.${error.kind}`, params: {}, detail, retryable: error.retryable, waitSeconds: 0 }
  }
  return { key: 'errors.unknown', params: {}, detail: null, retryable: true, waitSeconds: 0 }
}

export function errorKind(error: unknown): string | null {
  if (error instanceof ApiError || error instanceof PhotoError) return error.kind
  return null
}
