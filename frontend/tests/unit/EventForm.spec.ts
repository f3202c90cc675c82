// The coordinator's event form: Brussels wall-clock times sent with their offset, every category
// ticked for a new event, and an edit that sends only what changed with the version it was shown.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import EventForm from '../../src/components/events/EventForm.vue'
import { ApiError, createEvent, updateEvent } from '../../src/api/client'
import type { StaffEvent } from '../../src/api/events'
import { mountOptions } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return {
    ...actual,
    createEvent: vi.fn(),
    updateEvent: vi.fn(),
    getVocabulary: vi.fn(async () => ({ categories: ['Kettle', 'Toaster'], outcomes: [], barriers: [], languages: [] })),
  }
})
const createMock = vi.mocked(createEvent)
const updateMock = vi.mocked(updateEvent)

const EVENT: StaffEvent = {
  eventId: 'ev_1',
  groupIdentifier: 'Repair Café Leuven',
  place: 'Parish hall',
  address: 'Naamsestraat 1',
  postcode: '3000',
  startsAt: '2026-12-12T14:00:00+01:00',
  endsAt: '2026-12-12T17:00:00+01:00',
  capacity: 20,
  seatsLeft: 18,
  categories: ['Kettle'],
  skills: ['electrical'],
  booked: 2,
  checkedIn: 0,
  version: 4,
  createdAt: '2026-11-27T10:00:00Z',
  updatedAt: '2026-11-27T10:00:00Z',
}

beforeEach(() => {
  createMock.mockReset()
  updateMock.mockReset()
})

describe('EventForm', () => {
  it('creates an event with Brussels times and every category ticked', async () => {
    createMock.mockResolvedValue(EVENT)
    const wrapper = mount(EventForm, { props: { event: null }, ...mountOptions() })
    await flushPromises()
    await wrapper.get('#event-group').setValue('Repair Café Leuven')
    await wrapper.get('#event-place').setValue('Parish hall')
    await wrapper.get('#event-address').setValue('Naamsestraat 1')
    await wrapper.get('#event-postcode').setValue('3000')
    await wrapper.get('#event-starts').setValue('2026-07-04T10:00')
    await wrapper.get('#event-ends').setValue('2026-07-04T13:00')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(createMock).toHaveBeenCalledWith({
      groupIdentifier: 'Repair Café Leuven',
      place: 'Parish hall',
      address: 'Naamsestraat 1',
      postcode: '3000',
      startsAt: '2026-07-04T10:00:00+02:00',
      endsAt: '2026-07-04T13:00:00+02:00',
      capacity: 20,
      categories: ['Kettle', 'Toaster'],
      skills: ['electrical'],
    })
    expect(wrapper.emitted('saved')).toHaveLength(1)
  })

  it('refuses an end before the start without calling the API', async () => {
    const wrapper = mount(EventForm, { props: { event: EVENT }, ...mountOptions() })
    await flushPromises()
    await wrapper.get('#event-ends').setValue('2026-12-12T13:00')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('The end must be after the start.')
    expect(updateMock).not.toHaveBeenCalled()
  })

  it('sends only what changed, with the version it was shown', async () => {
    updateMock.mockResolvedValue({ ...EVENT, capacity: 25, version: 5 })
    const wrapper = mount(EventForm, { props: { event: EVENT }, ...mountOptions() })
    await flushPromises()
    expect((wrapper.get('#event-starts').element as HTMLInputElement).value).toBe('2026-12-12T14:00')
    await wrapper.get('#event-capacity').setValue('25')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('ev_1', 4, { capacity: 25 })
  })

  it('says another coordinator saved first and asks for a reload', async () => {
    updateMock.mockRejectedValue(new ApiError('preconditionFailed', 412, 'PreconditionFailed', ''))
    const wrapper = mount(EventForm, { props: { event: EVENT }, ...mountOptions() })
    await flushPromises()
    await wrapper.get('#event-place').setValue('Library')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('Changed by another coordinator')
    expect(wrapper.emitted('reload')).toHaveLength(1)
  })
})
