// Smaller pieces: error messages, the timeline, the chart.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ErrorNotice from '../../src/components/ErrorNotice.vue'
import StatusTimeline from '../../src/components/StatusTimeline.vue'
import OutcomeChart from '../../src/components/staff/OutcomeChart.vue'
import { ApiError } from '../../src/api/client'
import { PhotoError } from '../../src/lib/image'
import { mountOptions } from './helpers'

describe('ErrorNotice', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  const busy = (seconds: number | null) => new ApiError('unavailable', 503, 'ServiceUnavailable', '', seconds)

  it('announces a busy service with the Retry-After hint', () => {
    vi.useFakeTimers()
    const wrapper = mount(ErrorNotice, { props: { error: busy(12) }, ...mountOptions() })
    expect(wrapper.find('[role="alert"]').text()).toContain('try again in 12 seconds')
  })

  it('counts down the Retry-After and enables the retry button by itself when it ends', async () => {
    vi.useFakeTimers()
    const wrapper = mount(ErrorNotice, { props: { error: busy(3) }, ...mountOptions() })
    const button = () => wrapper.find('button')
    const status = () => wrapper.find('[role="status"]')
    expect(button().attributes('disabled')).toBeDefined()
    expect(button().text()).toBe('Try again in 3 s')
    // The ticking label is not inside a live region: only the end is announced.
    expect(wrapper.find('[role="alert"] button').exists()).toBe(false)
    expect(status().text()).toBe('')
    await button().trigger('click')
    expect(wrapper.emitted('retry')).toBeUndefined()

    await vi.advanceTimersByTimeAsync(1000)
    expect(button().text()).toBe('Try again in 2 s')
    await vi.advanceTimersByTimeAsync(1999)
    expect(button().text()).toBe('Try again in 1 s')
    expect(button().attributes('disabled')).toBeDefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(button().attributes('disabled')).toBeUndefined()
    expect(button().text()).toBe('Try again')
    expect(status().text()).toBe('You can try again now.')
    await button().trigger('click')
    expect(wrapper.emitted('retry')).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps to the deadline when the timers run late (a throttled background tab)', async () => {
    vi.useFakeTimers()
    const wrapper = mount(ErrorNotice, { props: { error: busy(10) }, ...mountOptions() })
    // The clock moves on without the timer firing, then the timer fires once.
    vi.setSystemTime(Date.now() + 9500)
    await vi.advanceTimersByTimeAsync(1000)
    expect(wrapper.find('button').attributes('disabled')).toBeUndefined()
  })

  it('starts a new wait when a retry fails again, and stops counting when it goes away', async () => {
    vi.useFakeTimers()
    const wrapper = mount(ErrorNotice, { props: { error: busy(2) }, ...mountOptions() })
    await vi.advanceTimersByTimeAsync(2000)
    expect(wrapper.find('button').text()).toBe('Try again')
    await wrapper.setProps({ error: busy(5) })
    expect(wrapper.find('button').text()).toBe('Try again in 5 s')
    expect(wrapper.find('[role="status"]').text()).toBe('')
    wrapper.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('offers the retry at once when the service gave no Retry-After', () => {
    const wrapper = mount(ErrorNotice, { props: { error: busy(null) }, ...mountOptions() })
    expect(wrapper.text()).toContain('try again in a moment')
    expect(wrapper.find('button').attributes('disabled')).toBeUndefined()
    expect(wrapper.find('[role="status"]').exists()).toBe(false)
  })

  it.each([
    [new ApiError('offline', 0, 'NetworkError', ''), 'internet connection', true],
    [new ApiError('server', 500, 'InternalError', ''), 'on our side', true],
    [new ApiError('tooLarge', 413, 'ImageTooLarge', ''), 'too big', false],
    [new PhotoError('notAnImage', 'x'), 'JPEG, PNG or WebP', false],
  ])('explains %o and offers a retry only when it can help', (error, text, retry) => {
    const wrapper = mount(ErrorNotice, { props: { error }, ...mountOptions() })
    expect(wrapper.text()).toContain(text)
    expect(wrapper.find('button').exists()).toBe(retry)
  })

  it('shows the server message for input errors', () => {
    const wrapper = mount(ErrorNotice, { props: { error: new ApiError('invalidInput', 400, 'InvalidInput', 'postcode must be 1000-9992') }, ...mountOptions() })
    expect(wrapper.text()).toContain('postcode must be 1000-9992')
  })
})

describe('StatusTimeline', () => {
  const history = [
    { status: 'submitted' as const, at: '2026-11-27T10:00:00Z' },
    { status: 'accepted' as const, at: '2026-11-27T11:00:00Z', publicMessage: 'See you Saturday' },
  ]

  it('shows done, current and coming steps of an open request', () => {
    const wrapper = mount(StatusTimeline, { props: { status: 'accepted', history }, ...mountOptions() })
    const steps = wrapper.findAll('li')
    expect(steps.map((step) => step.attributes('data-status'))).toEqual(['submitted', 'accepted', 'in_repair'])
    expect(steps[1]?.attributes('aria-current')).toBe('step')
    expect(steps[1]?.text()).toContain('See you Saturday')
    expect(steps[2]?.text()).toContain('Not yet')
  })

  it('labels the internal note on a staff timeline, apart from the message to the visitor', () => {
    const staffHistory = [{ status: 'submitted' as const, at: '2026-11-27T10:00:00Z', publicMessage: 'See you Saturday', internalNote: 'Fuse blown' }]
    const wrapper = mount(StatusTimeline, { props: { status: 'submitted', history: staffHistory }, ...mountOptions() })
    expect(wrapper.find('[data-testid="public-message"]').text()).toBe('To the visitor: See you Saturday')
    expect(wrapper.find('[data-testid="internal-note"]').text()).toBe('Internal note: Fuse blown')
  })

  it('ends a closed request on its outcome and skips steps it never reached', () => {
    const wrapper = mount(StatusTimeline, {
      props: { status: 'cancelled', history: [history[0]!, { status: 'cancelled', at: '2026-11-27T12:00:00Z' }] },
      ...mountOptions(),
    })
    expect(wrapper.findAll('li').map((step) => step.attributes('data-status'))).toEqual(['submitted', 'cancelled'])
  })
})

describe('OutcomeChart', () => {
  const categories = [
    { category: 'Kettle', total: 5, fixed: 2, repairable: 1, endOfLife: 1 },
    { category: 'Laptop', total: 9, fixed: 6, repairable: 0, endOfLife: 2 },
    { category: 'Lamp', total: 3, fixed: 0, repairable: 0, endOfLife: 0 },
  ]

  it('draws one labelled row per category with closed repairs, largest first', () => {
    const wrapper = mount(OutcomeChart, { props: { categories }, ...mountOptions() })
    const svg = wrapper.find('svg')
    expect(svg.attributes('role')).toBe('img')
    expect(svg.find('title').text()).toBe('Outcomes by category')
    expect(wrapper.findAll('.chart__label').map((label) => label.text())).toEqual(['Laptop', 'Kettle'])
    expect(wrapper.findAll('rect')).toHaveLength(6)
  })

  it('scales bars to the largest category', () => {
    const wrapper = mount(OutcomeChart, { props: { categories }, ...mountOptions() })
    const laptopFixed = wrapper.findAll('rect.chart__bar--fixed')[0]!
    expect(Number(laptopFixed.attributes('width'))).toBeCloseTo((6 / 8) * 290)
  })

  it('offers the same numbers as a table', () => {
    const rows = mount(OutcomeChart, { props: { categories }, ...mountOptions() }).findAll('tbody tr')
    expect(rows[0]?.text()).toContain('Laptop')
    expect(rows[0]?.findAll('td').map((cell) => cell.text())).toEqual(['6', '0', '2', '9'])
  })

  it('says when there is nothing to chart yet', () => {
    expect(mount(OutcomeChart, { props: { categories: [] }, ...mountOptions() }).text()).toContain('No closed repairs yet')
  })
})
