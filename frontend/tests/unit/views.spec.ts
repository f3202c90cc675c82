// Triage and tracking screens loaded from the URL alone (reload / deep link), the category
// re-run, the friendly 404, and the staff route guard.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import TriageView from '../../src/views/TriageView.vue'
import TrackingView from '../../src/views/TrackingView.vue'
import StaffRepairView from '../../src/views/staff/StaffRepairView.vue'
import { ApiError, getAnalysis, getStaffRepair, getTrackedRepair, triage } from '../../src/api/client'
import type { Locale } from '../../src/i18n'
import { makeAnalysis, makeI18n } from './helpers'
import { tokenFromHash } from '../../src/lib/fragment'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return {
    ...actual,
    getAnalysis: vi.fn(),
    getTrackedRepair: vi.fn(),
    getStaffRepair: vi.fn(),
    triage: vi.fn(),
    listEvents: vi.fn(async () => ({ items: [] })),
    getVocabulary: vi.fn(async () => ({ categories: ['Kettle', 'Toaster'], outcomes: [], barriers: [], languages: ['en'] })),
  }
})
const getAnalysisMock = vi.mocked(getAnalysis)
const getTrackedMock = vi.mocked(getTrackedRepair)
const triageMock = vi.mocked(triage)
const getStaffRepairMock = vi.mocked(getStaffRepair)

const Stub = { template: '<p>stub</p>' }

async function mountAt(path: string, component: object, routes: { path: string; name: string }[], locale: Locale = 'en') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: routes.map((route) => ({ ...route, component: Stub })),
  })
  await router.push(path)
  const route = router.currentRoute.value
  const props: Record<string, string> = { ...(route.params as Record<string, string>) }
  if (path.startsWith('/repairs') || path.startsWith('/triage')) props.token = tokenFromHash(route.hash)
  const wrapper = mount(component, { props, global: { plugins: [makeI18n(locale), router] } })
  await flushPromises()
  return { wrapper, router }
}

const ROUTES = [
  { path: '/', name: 'report' },
  { path: '/triage/:analysisId', name: 'triage' },
  { path: '/repairs/:repairId', name: 'tracking' },
  { path: '/staff', name: 'staff-queue' },
  { path: '/staff/sign-in', name: 'staff-sign-in' },
  { path: '/staff/stats', name: 'staff-stats' },
  { path: '/staff/events', name: 'staff-events' },
  { path: '/staff/repairs/:repairId', name: 'staff-repair' },
]

beforeEach(() => {
  getAnalysisMock.mockReset()
  getTrackedMock.mockReset()
  triageMock.mockReset()
  sessionStorage.clear()
})

describe('TriageView', () => {
  it('loads the analysis from the API when opened by URL', async () => {
    getAnalysisMock.mockResolvedValue(makeAnalysis({ analysisId: 'an_cold' }))
    const { wrapper } = await mountAt('/triage/an_cold#token=tok-cold', TriageView, ROUTES)
    expect(getAnalysisMock).toHaveBeenCalledWith('an_cold', 'tok-cold')
    expect(wrapper.text()).toContain('This looks like: Laptop')
    expect(wrapper.find('#repair-request').exists()).toBe(true)
  })

  it('does not even ask the API for an analysis without its token', async () => {
    const { wrapper } = await mountAt('/triage/an_cold', TriageView, ROUTES)
    expect(getAnalysisMock).not.toHaveBeenCalled()
    expect(wrapper.find('h1').text()).toBe('Page not found')
  })

  it('shows a friendly not-found for an unknown analysis', async () => {
    getAnalysisMock.mockRejectedValue(new ApiError('notFound', 404, 'NotFound', ''))
    const { wrapper } = await mountAt('/triage/an_nope#token=tok', TriageView, ROUTES)
    expect(wrapper.find('h1').text()).toBe('Page not found')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })

  const NOT_RECOGNISED = {
    label: 'Toaster',
    confidence: 0.2,
    recognised: false,
    top3: [{ label: 'Toaster', confidence: 0.2 }],
  }

  it('re-runs the triage on a cold link with the description the analysis carries', async () => {
    const analysis = makeAnalysis({ analysisId: 'an_unknown', productCategory: NOT_RECOGNISED })
    analysis.inputs.description = '  The kettle stopped boiling  '
    analysis.inputs.brand = 'Philips'
    getAnalysisMock.mockResolvedValue(analysis)
    triageMock.mockResolvedValue(makeAnalysis({ analysisId: 'an_picked', analysisToken: 'tok-picked' }))
    const { wrapper, router } = await mountAt('/triage/an_unknown#token=tok-1', TriageView, ROUTES)
    // Not recognised: the picker is open straight away, and it does not ask for the words again.
    expect(wrapper.find('#pick-category').exists()).toBe(true)
    expect(wrapper.find('#pick-description').exists()).toBe(false)
    await wrapper.find('#pick-category').setValue('Kettle')
    await wrapper.find('#category-picker-form').trigger('submit')
    await flushPromises()
    expect(triageMock).toHaveBeenCalledWith({
      imageId: 'img_1',
      description: 'The kettle stopped boiling',
      productCategory: 'Kettle',
      brand: 'Philips',
      productAgeYears: 4,
      language: 'en',
    })
    expect(router.currentRoute.value.fullPath).toBe('/triage/an_picked#token=tok-picked')
    // Nothing about the person is parked in the browser for this.
    expect(sessionStorage.length).toBe(0)
  })

  it('re-runs with the analysis description after a reload of a page reached by re-running', async () => {
    // The analysis in hand came from the first re-run; the reload loads it again from the API.
    const picked = makeAnalysis({ analysisId: 'an_reloaded' })
    picked.inputs.productCategory = 'Kettle'
    getAnalysisMock.mockResolvedValue(picked)
    triageMock.mockResolvedValue(makeAnalysis({ analysisId: 'an_again' }))
    const { wrapper } = await mountAt('/triage/an_reloaded#token=tok-2', TriageView, ROUTES)
    await wrapper.find('.category-picker button').trigger('click')
    await wrapper.find('#pick-category').setValue('Toaster')
    await wrapper.find('#category-picker-form').trigger('submit')
    await flushPromises()
    expect(triageMock).toHaveBeenCalledWith(
      expect.objectContaining({ description: 'The battery does not charge any more', productCategory: 'Toaster' }),
    )
  })

  it('asks for the description only when the analysis has no usable one', async () => {
    const analysis = makeAnalysis({ analysisId: 'an_unknown', productCategory: NOT_RECOGNISED })
    analysis.inputs.description = null
    getAnalysisMock.mockResolvedValue(analysis)
    triageMock.mockResolvedValue(makeAnalysis({ analysisId: 'an_picked', analysisToken: 'tok-picked' }))
    const { wrapper, router } = await mountAt('/triage/an_unknown#token=tok-1', TriageView, ROUTES)
    expect(wrapper.find('[data-testid="not-recognised"]').exists()).toBe(true)
    // Not recognised: the picker is open straight away.
    await wrapper.find('#pick-category').setValue('Kettle')
    await wrapper.find('#pick-description').setValue('It does not boil any more')
    await wrapper.find('#category-picker-form').trigger('submit')
    await flushPromises()
    expect(triageMock).toHaveBeenCalledWith({
      imageId: 'img_1',
      description: 'It does not boil any more',
      productCategory: 'Kettle',
      productAgeYears: 4,
      language: 'en',
    })
    expect(router.currentRoute.value.fullPath).toBe('/triage/an_picked#token=tok-picked')
  })
})

describe('TrackingView', () => {
  const tracked = {
    repairId: 'rp_1',
    status: 'accepted' as const,
    history: [
      { status: 'submitted' as const, at: '2026-11-27T10:00:00Z' },
      { status: 'accepted' as const, at: '2026-11-27T11:00:00Z' },
    ],
    productCategory: 'Kettle',
    analysis: null,
    createdAt: '2026-11-27T10:00:00Z',
    updatedAt: '2026-11-27T11:00:00Z',
    booking: null,
  }

  it('shows the status timeline from the id in the URL and the token in its fragment', async () => {
    getTrackedMock.mockResolvedValue(tracked)
    const { wrapper } = await mountAt('/repairs/rp_1#token=secret', TrackingView, ROUTES)
    expect(getTrackedMock).toHaveBeenCalledWith('rp_1', 'secret')
    expect(wrapper.find('[data-testid="tracking-status"]').text()).toBe('Accepted by a volunteer')
    expect(wrapper.find('[aria-current="step"]').attributes('data-status')).toBe('accepted')
  })

  it('names the item in the UI language', async () => {
    getTrackedMock.mockResolvedValue(tracked)
    const { wrapper } = await mountAt('/repairs/rp_1#token=secret', TrackingView, ROUTES, 'nl')
    expect(wrapper.find('.facts').text()).toContain('Waterkoker')
    expect(wrapper.find('.facts').text()).not.toContain('Kettle')
  })

  it('answers a wrong token with the same friendly not-found as an unknown id', async () => {
    getTrackedMock.mockRejectedValue(new ApiError('notFound', 404, 'NotFound', ''))
    const { wrapper } = await mountAt('/repairs/rp_1#token=wrong', TrackingView, ROUTES)
    expect(wrapper.find('h1').text()).toBe('We cannot find this request')
    expect(wrapper.find('[data-testid="tracking-not-found"]').exists()).toBe(true)
  })

  it('does not even ask the API without a token', async () => {
    const { wrapper } = await mountAt('/repairs/rp_1', TrackingView, ROUTES)
    expect(getTrackedMock).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid="tracking-not-found"]').exists()).toBe(true)
  })
})

describe('StaffRepairView', () => {
  it('shows the category, outcome and barrier of a closed request in the UI language', async () => {
    getStaffRepairMock.mockResolvedValue({
      repairId: 'rp_2',
      status: 'end_of_life',
      history: [{ status: 'end_of_life', at: '2026-11-27T12:00:00Z' }],
      productCategory: 'Kettle',
      analysis: null,
      createdAt: '2026-11-27T10:00:00Z',
      updatedAt: '2026-11-27T12:00:00Z',
      contact: null,
      postcode: '3000',
      version: 5,
      outcome: 'End of life',
      barrier: 'No way to open product',
      booking: null,
    })
    const { wrapper } = await mountAt('/staff/repairs/rp_2', StaffRepairView, ROUTES, 'fr')
    expect(getStaffRepairMock).toHaveBeenCalledWith('rp_2')
    expect(wrapper.find('[data-testid="staff-category"]').text()).toBe('Bouilloire')
    const facts = wrapper.find('.facts').text()
    expect(facts).toContain('Fin de vie')
    expect(facts).toContain('Impossible d’ouvrir l’appareil')
  })
})

describe('staff route guard', () => {
  it('sends a person without a session to sign-in and remembers where they were going', async () => {
    const { router } = await import('../../src/router')
    await router.push('/staff/repairs/rp_9?x=1')
    expect(router.currentRoute.value.name).toBe('staff-sign-in')
    expect(router.currentRoute.value.query.redirect).toBe('/staff/repairs/rp_9?x=1')
  })

  it('resolves unknown paths to the 404 page', async () => {
    const { router } = await import('../../src/router')
    expect(router.resolve('/no/such/page').name).toBe('not-found')
  })
})
