// The repair request form: client-side validation mirrors the API; a valid form is sent once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import RepairRequestForm from '../../src/components/RepairRequestForm.vue'
import { ApiError, createRepair, listEvents } from '../../src/api/client'
import { mountOptions } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return { ...actual, createRepair: vi.fn(), listEvents: vi.fn(async () => ({ items: [] })) }
})
const createRepairMock = vi.mocked(createRepair)
const listEventsMock = vi.mocked(listEvents)

const EVENT = {
  eventId: 'ev_1',
  groupIdentifier: 'Repair Café Leuven',
  place: 'Parish hall',
  address: 'Naamsestraat 1',
  postcode: '3000',
  startsAt: '2026-12-12T13:00:00Z',
  endsAt: '2026-12-12T16:00:00Z',
  capacity: 20,
  seatsLeft: 3,
  categories: ['Kettle' as const],
  skills: ['electrical' as const],
}

async function fill(wrapper: ReturnType<typeof mount>, values: { name?: string; email?: string; postcode?: string; consent?: boolean }) {
  await wrapper.find('#contact-name').setValue(values.name ?? 'Ann Peeters')
  await wrapper.find('#contact-email').setValue(values.email ?? 'ann@example.be')
  await wrapper.find('#postcode').setValue(values.postcode ?? '3000')
  await wrapper.find('#consent').setValue(values.consent ?? true)
}

function render() {
  return mount(RepairRequestForm, { props: { analysisId: 'an_1' }, attachTo: document.body, ...mountOptions() })
}

afterEach(() => {
  vi.useRealTimers()
})

beforeEach(() => {
  createRepairMock.mockReset()
})

describe('RepairRequestForm', () => {
  it.each(['0999', '9993', '123', 'abcd'])('refuses the postcode %j without calling the API', async (postcode) => {
    const wrapper = render()
    await fill(wrapper, { postcode })
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#postcode-error').text()).toContain('Belgian postcode')
    expect(wrapper.find('#postcode').attributes('aria-invalid')).toBe('true')
    expect(wrapper.find('#postcode').attributes('aria-describedby')).toContain('postcode-error')
    expect(createRepairMock).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('refuses a bad e-mail', async () => {
    const wrapper = render()
    await fill(wrapper, { email: 'ann@example' })
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#contact-email-error').exists()).toBe(true)
    expect(createRepairMock).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('requires consent and moves focus to the first problem', async () => {
    const wrapper = render()
    await fill(wrapper, { consent: false })
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#consent-error').text()).toContain('consent')
    expect(document.activeElement?.id).toBe('consent')
    expect(createRepairMock).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('sends a valid request and emits the tracking details', async () => {
    createRepairMock.mockResolvedValue({ repairId: 'rp_1', trackingToken: 'tok', trackingUrl: '/repairs/rp_1?token=tok' })
    const wrapper = render()
    await fill(wrapper, { postcode: ' 9992 ' })
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(createRepairMock).toHaveBeenCalledWith({
      analysisId: 'an_1',
      contact: { name: 'Ann Peeters', email: 'ann@example.be' },
      postcode: '9992',
      consent: true,
      language: 'en',
    })
    expect(wrapper.emitted('created')?.[0]).toEqual([{ repairId: 'rp_1', trackingToken: 'tok', trackingUrl: '/repairs/rp_1?token=tok' }])
    wrapper.unmount()
  })

  it('offers the repair cafés that take the item and books the one picked in the same request', async () => {
    listEventsMock.mockResolvedValueOnce({ items: [EVENT, { ...EVENT, eventId: 'ev_full', place: 'Library', seatsLeft: 0 }] })
    createRepairMock.mockResolvedValue({ repairId: 'rp_1', trackingToken: 'tok', trackingUrl: '/repairs/rp_1?token=tok' })
    const wrapper = mount(RepairRequestForm, { props: { analysisId: 'an_1', category: 'Kettle' }, attachTo: document.body, ...mountOptions() })
    await flushPromises()
    expect(listEventsMock).toHaveBeenCalledWith({ category: 'Kettle' })
    const choices = wrapper.findAll('input[name="event"]')
    expect(choices.map((choice) => choice.attributes('value'))).toEqual(['', 'ev_1', 'ev_full'])
    expect(choices[2]?.attributes('disabled')).toBeDefined() // a full event cannot be picked
    await choices[1]?.setValue(true)
    await fill(wrapper, {})
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(createRepairMock).toHaveBeenCalledWith(expect.objectContaining({ analysisId: 'an_1', eventId: 'ev_1' }))
    wrapper.unmount()
  })

  it('shows a busy service with a retry, after its wait, that sends the same request again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    createRepairMock
      .mockRejectedValueOnce(new ApiError('unavailable', 503, 'ServiceUnavailable', 'busy', 3))
      .mockResolvedValueOnce({ repairId: 'rp_1', trackingToken: 'tok', trackingUrl: '' })
    const wrapper = render()
    await fill(wrapper, {})
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const notice = wrapper.find('.notice--error')
    expect(notice.find('[role="alert"]').text()).toContain('try again in 3 seconds')
    expect(notice.find('button').attributes('disabled')).toBeDefined()
    await vi.advanceTimersByTimeAsync(3000)
    await notice.find('button').trigger('click')
    await flushPromises()
    expect(createRepairMock).toHaveBeenCalledTimes(2)
    expect(createRepairMock.mock.calls[0]).toEqual(createRepairMock.mock.calls[1])
    expect(wrapper.emitted('created')).toHaveLength(1)
    wrapper.unmount()
  })
})
