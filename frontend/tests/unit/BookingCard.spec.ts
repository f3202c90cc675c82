// The tracking page's booking: cancel and move with the tracking token, the API's event codes in
// people's words, and no change offered once the visitor is checked in.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import BookingCard from '../../src/components/events/BookingCard.vue'
import { ApiError, bookEvent, cancelBooking, listEvents } from '../../src/api/client'
import type { Booking, RepairEvent, TrackedRepairWithBooking } from '../../src/api/events'
import { mountOptions } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return { ...actual, bookEvent: vi.fn(), cancelBooking: vi.fn(), listEvents: vi.fn() }
})
const bookMock = vi.mocked(bookEvent)
const cancelMock = vi.mocked(cancelBooking)
const listMock = vi.mocked(listEvents)

const BOOKING: Booking = {
  eventId: 'ev_1',
  place: 'Parish hall',
  address: 'Naamsestraat 1, 3000',
  startsAt: '2026-12-12T13:00:00Z',
  endsAt: '2026-12-12T16:00:00Z',
  status: 'booked',
}
const OTHER: RepairEvent = {
  eventId: 'ev_2',
  groupIdentifier: 'Repair Café Leuven',
  place: 'Library',
  address: 'Ladeuzeplein 1',
  postcode: '3000',
  startsAt: '2026-12-19T13:00:00Z',
  endsAt: '2026-12-19T16:00:00Z',
  capacity: 10,
  seatsLeft: 2,
  categories: ['Kettle'],
  skills: ['electrical'],
}

function render(booking: Booking | null, status: 'submitted' | 'fixed' = 'submitted') {
  return mount(BookingCard, {
    props: { repairId: 'rp_1', token: 'tok', booking, status, category: 'Kettle' },
    ...mountOptions(),
  })
}

function tracked(booking: Booking | null): TrackedRepairWithBooking {
  return { repairId: 'rp_1', status: 'submitted', history: [], productCategory: 'Kettle', analysis: null,
    createdAt: '2026-11-27T10:00:00Z', updatedAt: '2026-11-27T10:00:00Z', booking }
}

beforeEach(() => {
  bookMock.mockReset()
  cancelMock.mockReset()
  listMock.mockReset()
})

describe('BookingCard', () => {
  it('cancels with the tracking token and says so', async () => {
    cancelMock.mockResolvedValue(tracked({ ...BOOKING, status: 'cancelled' }))
    const wrapper = render(BOOKING)
    expect(wrapper.get('[data-testid="booking-place"]').text()).toContain('Parish hall')
    await wrapper.get('[data-testid="booking-cancel"]').trigger('click')
    await flushPromises()
    expect(cancelMock).toHaveBeenCalledWith('rp_1', 'tok')
    expect(wrapper.text()).toContain('Your place is cancelled.')
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })

  it('moves to another event that takes the item, and explains a full one in plain words', async () => {
    listMock.mockResolvedValue({ items: [{ ...OTHER, eventId: 'ev_1' }, OTHER] })
    bookMock.mockRejectedValue(new ApiError('conflict', 409, 'EventFull', 'no seat left'))
    const wrapper = render(BOOKING)
    await wrapper.findAll('button').find((b) => b.text() === 'Move to another repair café')?.trigger('click')
    await flushPromises()
    expect(listMock).toHaveBeenCalledWith({ category: 'Kettle' })
    const choices = wrapper.findAll('.event-choices__item')
    expect(choices).toHaveLength(1) // not the event it is already booked on
    await choices[0]?.get('button').trigger('click')
    await flushPromises()
    expect(bookMock).toHaveBeenCalledWith('rp_1', 'tok', 'ev_2')
    expect(wrapper.text()).toContain('This repair café is full. Pick another one.')
  })

  it('offers no change once checked in, and shows the ticket', () => {
    const wrapper = render({ ...BOOKING, status: 'checkedIn', ticket: 3 })
    expect(wrapper.get('[data-testid="booking-ticket"]').text()).toBe('#3')
    expect(wrapper.find('[data-testid="booking-cancel"]').exists()).toBe(false)
  })

  it('offers no change on a closed request', () => {
    const wrapper = render(BOOKING, 'fixed')
    expect(wrapper.find('[data-testid="booking-cancel"]').exists()).toBe(false)
  })
})
