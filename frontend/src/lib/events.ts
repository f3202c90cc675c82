// Pure logic of the repair-café events ("sessions" to people): times in the café's own time zone
// whatever the browser's, the form's local date-time fields to the ISO instants the API takes,
// which events take an item, and the status steps the table mode sends to log an outcome.
import type { RepairStatus } from '../api/schema'
import { NEXT_STATUSES } from './outcomes'
import { regional } from './format'

/** Every event is in Belgium: shown in Brussels time even on a phone set to another zone. */
export const EVENT_TIME_ZONE = 'Europe/Brussels'

/** The skills a coordinator can say are at the table (the contract's list, in its order). */
export const SKILLS = ['electrical', 'textile', 'bicycles', 'computers', 'mechanical', 'other'] as const
export type Skill = (typeof SKILLS)[number]

/** "Saturday 12 December 2026, 14:00–17:00" in the UI language, in Brussels time. */
export function eventWhen(startsAt: string, endsAt: string, locale: string): string {
  const start = new Date(startsAt)
  const end = new Date(endsAt)
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startsAt} – ${endsAt}`
  const format = new Intl.DateTimeFormat(regional(locale), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: EVENT_TIME_ZONE,
  })
  return format.formatRange(start, end)
}

/** The short date of an event for lists and file names: "12/12/2026" in Belgium's conventions. */
export function eventDay(startsAt: string, locale: string): string {
  const start = new Date(startsAt)
  if (Number.isNaN(start.getTime())) return startsAt
  return new Intl.DateTimeFormat(regional(locale), { dateStyle: 'medium', timeZone: EVENT_TIME_ZONE }).format(start)
}

/** Minutes east of UTC in `timeZone` at `instant` (+60 in Brussels winter, +120 in summer). */
export function zoneOffsetMinutes(instant: Date, timeZone: string = EVENT_TIME_ZONE): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant)
  const value = (type: string): number => Number(parts.find((part) => part.type === type)?.value)
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'))
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000)
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

function pad(value: number, width = 2): string {
  return String(Math.abs(value)).padStart(width, '0')
}

/**
 * A `<input type="datetime-local">` value (wall-clock time in Brussels) as ISO 8601 with the
 * offset in force at that moment: "2026-12-12T14:00" → "2026-12-12T14:00:00+01:00". Null when
 * the value is not a complete date and time.
 */
export function localInputToIso(value: string, timeZone: string = EVENT_TIME_ZONE): string | null {
  const match = LOCAL_INPUT.exec(value)
  if (!match) return null
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number]
  const wall = Date.UTC(year, month - 1, day, hour, minute)
  const check = new Date(wall)
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  // The offset at the instant the wall time names; a second pass settles the days clocks change.
  let offset = zoneOffsetMinutes(new Date(wall), timeZone)
  offset = zoneOffsetMinutes(new Date(wall - offset * 60000), timeZone)
  const sign = offset < 0 ? '-' : '+'
  return `${value}:00${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
}

/** An ISO instant as a `datetime-local` value in Brussels wall-clock time (the form's start). */
export function isoToLocalInput(iso: string, timeZone: string = EVENT_TIME_ZONE): string {
  const instant = new Date(iso)
  if (Number.isNaN(instant.getTime())) return ''
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(instant, timeZone) * 60000)
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}`
}

/** Whether an event takes this category; an item with no known category goes to any event. */
export function acceptsCategory(event: { categories: string[] }, category: string | null | undefined): boolean {
  return !category || event.categories.includes(category)
}

/**
 * The statuses to send, one PATCH each, to take a repair from `current` to `target` along the
 * contract's state machine (at the table: submitted → accepted → in_repair → end_of_life, so the
 * volunteer taps the outcome once). Empty when already there; null when `target` is unreachable.
 */
export function stepsTo(current: RepairStatus, target: RepairStatus): RepairStatus[] | null {
  if (current === target) return []
  const previous = new Map<RepairStatus, RepairStatus>()
  const queue: RepairStatus[] = [current]
  while (queue.length > 0) {
    const status = queue.shift() as RepairStatus
    for (const next of NEXT_STATUSES[status]) {
      if (next === current || previous.has(next)) continue
      previous.set(next, status)
      if (next === target) {
        const path: RepairStatus[] = [target]
        let step = status
        while (step !== current) {
          path.unshift(step)
          step = previous.get(step) as RepairStatus
        }
        return path
      }
      queue.push(next)
    }
  }
  return null
}

/** Ticket numbers read better than ids at a busy table: "#7", or null before check-in. */
export function ticketLabel(ticket: number | null | undefined): string | null {
  return typeof ticket === 'number' ? `#${ticket}` : null
}

/**
 * The order of the table: open items first (checked-in ones by ticket, then the booked visitors
 * still expected), closed ones last, so what needs a hand is at the top of a phone screen.
 */
export function tableOrder<T extends { status: RepairStatus; ticket?: number | null; bookingStatus?: string | null }>(
  items: readonly T[],
): T[] {
  const closed = (item: T): number => (NEXT_STATUSES[item.status].length === 0 ? 1 : 0)
  const waiting = (item: T): number => (typeof item.ticket === 'number' ? 0 : 1)
  return [...items].sort(
    (a, b) =>
      closed(a) - closed(b) ||
      waiting(a) - waiting(b) ||
      (a.ticket ?? Number.MAX_SAFE_INTEGER) - (b.ticket ?? Number.MAX_SAFE_INTEGER),
  )
}

/**
 * The category a request made from this triage gets (the API's rule): the person's own choice,
 * else the photo model's when it was sure, else none. The event picker offers the events that
 * take it, so the booking is never refused as CategoryNotAccepted.
 */
export function requestCategory(analysis: {
  inputs: { productCategory: string | null }
  productCategory: { label: string | null; recognised: boolean } | null
}): string | null {
  if (analysis.inputs.productCategory) return analysis.inputs.productCategory
  const predicted = analysis.productCategory
  return predicted?.recognised && predicted.label ? predicted.label : null
}
