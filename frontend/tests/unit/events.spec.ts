// The events' pure logic: Brussels wall-clock times both ways (across the clock changes), which
// events take an item, the status steps the table mode sends, and the table's order.
import { describe, expect, it } from 'vitest'
import {
  acceptsCategory,
  eventWhen,
  isoToLocalInput,
  localInputToIso,
  requestCategory,
  stepsTo,
  tableOrder,
  ticketLabel,
  zoneOffsetMinutes,
} from '../../src/lib/events'

describe('Brussels times', () => {
  it('knows winter and summer offsets', () => {
    expect(zoneOffsetMinutes(new Date('2026-12-12T13:00:00Z'))).toBe(60)
    expect(zoneOffsetMinutes(new Date('2026-07-04T12:00:00Z'))).toBe(120)
  })

  it('sends a typed wall-clock time with the offset in force that day', () => {
    expect(localInputToIso('2026-12-12T14:00')).toBe('2026-12-12T14:00:00+01:00')
    expect(localInputToIso('2026-07-04T10:30')).toBe('2026-07-04T10:30:00+02:00')
  })

  it('gets the offset right on the days the clocks change', () => {
    // 29 March 2026: 02:00 → 03:00; 25 October 2026: 03:00 → 02:00.
    expect(localInputToIso('2026-03-29T14:00')).toBe('2026-03-29T14:00:00+02:00')
    expect(localInputToIso('2026-03-28T14:00')).toBe('2026-03-28T14:00:00+01:00')
    expect(localInputToIso('2026-10-25T14:00')).toBe('2026-10-25T14:00:00+01:00')
  })

  it('refuses what is not a whole date and time', () => {
    expect(localInputToIso('')).toBeNull()
    expect(localInputToIso('2026-02-30T10:00')).toBeNull()
    expect(localInputToIso('2026-12-12')).toBeNull()
  })

  it('shows an instant as the Brussels wall-clock time, whatever offset it was written with', () => {
    expect(isoToLocalInput('2026-12-12T13:00:00Z')).toBe('2026-12-12T14:00')
    expect(isoToLocalInput('2026-07-04T10:30:00+02:00')).toBe('2026-07-04T10:30')
    expect(isoToLocalInput('nonsense')).toBe('')
  })

  it('round-trips a typed time', () => {
    for (const value of ['2026-01-31T09:15', '2026-06-21T23:59', '2026-10-25T01:30']) {
      expect(isoToLocalInput(localInputToIso(value) as string)).toBe(value)
    }
  })

  it('writes the date and the hours of an event in Brussels time and the UI language', () => {
    const text = eventWhen('2026-12-12T13:00:00Z', '2026-12-12T16:00:00Z', 'nl')
    expect(text).toContain('12 december 2026')
    expect(text).toContain('14:00')
    expect(text).toContain('17:00')
  })
})

describe('which events take an item', () => {
  const event = { categories: ['Kettle', 'Toaster'] }
  it('takes a listed category', () => expect(acceptsCategory(event, 'Kettle')).toBe(true))
  it('refuses another', () => expect(acceptsCategory(event, 'Laptop')).toBe(false))
  it('takes an item whose category is not known', () => expect(acceptsCategory(event, null)).toBe(true))

  it("uses the request's category: the person's choice, else a sure photo guess", () => {
    const sure = { label: 'Laptop', recognised: true }
    expect(requestCategory({ inputs: { productCategory: 'Kettle' }, productCategory: sure })).toBe('Kettle')
    expect(requestCategory({ inputs: { productCategory: null }, productCategory: sure })).toBe('Laptop')
    expect(requestCategory({ inputs: { productCategory: null }, productCategory: { label: 'Laptop', recognised: false } })).toBeNull()
    expect(requestCategory({ inputs: { productCategory: null }, productCategory: null })).toBeNull()
  })
})

describe('stepsTo', () => {
  it('walks a new request to end of life through every status the API requires', () => {
    expect(stepsTo('submitted', 'end_of_life')).toEqual(['accepted', 'in_repair', 'end_of_life'])
  })
  it('takes one step from in repair', () => expect(stepsTo('in_repair', 'fixed')).toEqual(['fixed']))
  it('needs nothing when already there', () => expect(stepsTo('fixed', 'fixed')).toEqual([]))
  it('cannot reopen a closed request', () => expect(stepsTo('fixed', 'repairable')).toBeNull())
})

describe('the table', () => {
  it('puts checked-in items first by ticket, then the expected ones, then the closed ones', () => {
    const items = [
      { repairId: 'done', status: 'fixed' as const, ticket: 1 },
      { repairId: 'expected', status: 'submitted' as const, ticket: null },
      { repairId: 'three', status: 'accepted' as const, ticket: 3 },
      { repairId: 'two', status: 'in_repair' as const, ticket: 2 },
    ]
    expect(tableOrder(items).map((item) => item.repairId)).toEqual(['two', 'three', 'expected', 'done'])
  })

  it('labels tickets, and nothing before check-in', () => {
    expect(ticketLabel(7)).toBe('#7')
    expect(ticketLabel(null)).toBeNull()
    expect(ticketLabel(undefined)).toBeNull()
  })
})

describe("the event routes' errors", () => {
  it('are told in their own words, not as a generic conflict', async () => {
    const { describeError } = await import('../../src/lib/errors')
    const { ApiError } = await import('../../src/api/client')
    expect(describeError(new ApiError('conflict', 409, 'EventFull', '')).key).toBe('events.errors.EventFull')
    expect(describeError(new ApiError('invalidInput', 422, 'CategoryNotAccepted', '')).key).toBe('events.errors.CategoryNotAccepted')
    expect(describeError(new ApiError('conflict', 409, 'InvalidTransition', '')).key).toBe('errors.conflict')
  })
})
