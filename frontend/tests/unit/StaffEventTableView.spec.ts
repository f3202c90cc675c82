// The table mode: the outcome in at most three taps (item → End of life → barrier, no confirm),
// sent with the item's version; a version conflict says so and refreshes; check-in shows the ticket.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import StaffEventTableView from '../../src/views/staff/StaffEventTableView.vue'
import { ApiError, checkIn, getEventItems, updateRepair } from '../../src/api/client'
import type { EventItem, EventItems, StaffEvent } from '../../src/api/events'
import { makeI18n } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return {
    ...actual,
    getEventItems: vi.fn(),
    checkIn: vi.fn(),
    updateRepair: vi.fn(),
    claimRepair: vi.fn(),
    getVocabulary: vi.fn(async () => ({
      categories: ['Kettle', 'Laptop'],
      outcomes: [],
      barriers: ['Spare parts not available', 'No way to open product'],
      languages: [],
    })),
  }
})
const itemsMock = vi.mocked(getEventItems)
const checkInMock = vi.mocked(checkIn)
const updateMock = vi.mocked(updateRepair)

const EVENT: StaffEvent = {
  eventId: 'ev_1',
  groupIdentifier: 'Repair Café Leuven',
  place: 'Parish hall',
  address: 'Naamsestraat 1',
  postcode: '3000',
  startsAt: '2026-12-12T13:00:00Z',
  endsAt: '2026-12-12T16:00:00Z',
  capacity: 20,
  seatsLeft: 19,
  categories: ['Laptop'],
  skills: ['computers'],
  booked: 1,
  checkedIn: 0,
  version: 1,
  createdAt: '2026-11-27T10:00:00Z',
  updatedAt: '2026-11-27T10:00:00Z',
}

function item(overrides: Partial<EventItem> = {}): EventItem {
  return {
    repairId: 'rp_1',
    status: 'in_repair',
    bookingStatus: 'checkedIn',
    ticket: 4,
    productCategory: 'Laptop',
    hasPhoto: false,
    version: 7,
    hints: [],
    ...overrides,
  }
}

function answer(items: EventItem[]): EventItems {
  return { event: EVENT, items, hints: [] }
}

async function render() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: ['staff-queue', 'staff-stats', 'staff-events', 'staff-sign-in', 'staff-advice'].map((name) => ({
      path: `/${name}`,
      name,
      component: { template: '<p />' },
    })),
  })
  await router.push('/staff-events')
  const wrapper = mount(StaffEventTableView, {
    props: { eventId: 'ev_1' },
    global: { plugins: [makeI18n('en'), router] },
  })
  await flushPromises()
  return wrapper
}

function button(wrapper: Awaited<ReturnType<typeof render>>, text: string) {
  const found = wrapper.findAll('button').find((candidate) => candidate.text() === text)
  if (!found) throw new Error(`no button "${text}" in ${wrapper.text()}`)
  return found
}

beforeEach(() => {
  itemsMock.mockReset()
  checkInMock.mockReset()
  updateMock.mockReset()
})

describe('StaffEventTableView', () => {
  it('saves End of life with its barrier on the third tap, with the version it was shown', async () => {
    itemsMock.mockResolvedValue(answer([item()]))
    updateMock.mockResolvedValue({ version: 8, status: 'end_of_life' } as Awaited<ReturnType<typeof updateRepair>>)
    const wrapper = await render()

    await wrapper.get('[data-testid="table-item"]').trigger('click') // 1
    await button(wrapper, 'End of life').trigger('click') // 2
    expect(updateMock).not.toHaveBeenCalled()
    await button(wrapper, 'Spare parts not available').trigger('click') // 3
    await flushPromises()

    expect(updateMock).toHaveBeenCalledTimes(1)
    expect(updateMock).toHaveBeenCalledWith('rp_1', 7, {
      status: 'end_of_life',
      outcome: 'End of life',
      barrier: 'Spare parts not available',
    })
    expect(wrapper.get('[data-testid="table-status"]').text()).toBe('Saved: End of life.')
    expect(wrapper.get('[data-testid="table-item"]').text()).toContain('End of life')
  })

  it('saves Fixed on the second tap', async () => {
    itemsMock.mockResolvedValue(answer([item()]))
    updateMock.mockResolvedValue({ version: 8, status: 'fixed' } as Awaited<ReturnType<typeof updateRepair>>)
    const wrapper = await render()
    await wrapper.get('[data-testid="table-item"]').trigger('click')
    await button(wrapper, 'Fixed').trigger('click')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('rp_1', 7, { status: 'fixed', outcome: 'Fixed' })
  })

  it('walks an item not yet in repair through the steps the API requires, each with the last version', async () => {
    itemsMock.mockResolvedValue(answer([item({ status: 'accepted', version: 3 })]))
    updateMock
      .mockResolvedValueOnce({ version: 4, status: 'in_repair' } as Awaited<ReturnType<typeof updateRepair>>)
      .mockResolvedValueOnce({ version: 5, status: 'repairable' } as Awaited<ReturnType<typeof updateRepair>>)
    const wrapper = await render()
    await wrapper.get('[data-testid="table-item"]').trigger('click')
    await button(wrapper, 'Repairable').trigger('click')
    await flushPromises()
    expect(updateMock.mock.calls).toEqual([
      ['rp_1', 3, { status: 'in_repair' }],
      ['rp_1', 4, { status: 'repairable', outcome: 'Repairable' }],
    ])
  })

  it('says another volunteer was first and refreshes the list on a stale version', async () => {
    itemsMock
      .mockResolvedValueOnce(answer([item()]))
      .mockResolvedValueOnce(answer([item({ status: 'fixed', version: 8 })]))
    updateMock.mockRejectedValue(new ApiError('preconditionFailed', 412, 'PreconditionFailed', ''))
    const wrapper = await render()
    await wrapper.get('[data-testid="table-item"]').trigger('click')
    await button(wrapper, 'Fixed').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="table-conflict"]').exists()).toBe(true)
    expect(itemsMock).toHaveBeenCalledTimes(2)
    expect(wrapper.get('[data-testid="table-item"]').text()).toContain('Fixed')
  })

  it('checks a booked visitor in and shows the ticket', async () => {
    itemsMock.mockResolvedValue(answer([item({ status: 'submitted', bookingStatus: 'booked', ticket: undefined })]))
    checkInMock.mockResolvedValue(item({ ticket: 1 }))
    const wrapper = await render()
    expect(wrapper.get('[data-testid="table-item"]').text()).toContain('Expected')
    await wrapper.get('[data-testid="table-item"]').trigger('click')
    await wrapper.get('[data-testid="check-in"]').trigger('click')
    await flushPromises()
    expect(checkInMock).toHaveBeenCalledWith('ev_1', 'rp_1')
    expect(wrapper.get('[data-testid="table-status"]').text()).toBe('Checked in: ticket 1.')
    expect(wrapper.get('[data-testid="table-item"]').text()).toContain('#1')
  })
})
