// Coordinators edit the advice per category; a conflicting save keeps their text and shows the
// other coordinator's version, and they choose which one stands.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import StaffAdviceView from '../../src/views/staff/StaffAdviceView.vue'
import { ApiError, getProduct, listProducts, updateProduct } from '../../src/api/client'
import type { Product } from '../../src/api/schema'
import { makeI18n } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return { ...actual, listProducts: vi.fn(), getProduct: vi.fn(), updateProduct: vi.fn() }
})
const listMock = vi.mocked(listProducts)
const getMock = vi.mocked(getProduct)
const updateMock = vi.mocked(updateProduct)

function kettle(overrides: Partial<Product> = {}): Product {
  return {
    productId: 'kettle',
    category: 'Kettle',
    name: { en: 'Kettle', nl: 'Waterkoker' },
    typicalRepair: { en: 'Often the switch.', nl: 'Vaak de schakelaar.' },
    commonFaults: { en: ['Does not heat'], nl: ['Warmt niet op'] },
    version: 1,
    ...overrides,
  }
}

async function render() {
  const Stub = { template: '<p>stub</p>' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: ['staff-queue', 'staff-stats', 'staff-events', 'staff-advice', 'staff-sign-in'].map((name) => ({ path: `/${name}`, name, component: Stub })),
  })
  await router.push('/staff-advice')
  const wrapper = mount(StaffAdviceView, { global: { plugins: [makeI18n('en'), router] } })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  listMock.mockReset().mockResolvedValue({ items: [kettle()] })
  getMock.mockReset()
  updateMock.mockReset()
})

describe('StaffAdviceView', () => {
  it('sends every language with the version it loaded', async () => {
    updateMock.mockResolvedValue(kettle({ version: 2 }))
    const wrapper = await render()

    await wrapper.find('#advice-faults-nl').setValue('Warmt niet op\n\nSchakelaar springt af')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(updateMock).toHaveBeenCalledWith('kettle', 1, {
      category: 'Kettle',
      name: { en: 'Kettle', nl: 'Waterkoker' },
      typicalRepair: { en: 'Often the switch.', nl: 'Vaak de schakelaar.' },
      commonFaults: { en: ['Does not heat'], nl: ['Warmt niet op', 'Schakelaar springt af'] },
    })
    expect(wrapper.find('[data-testid="advice-saved"]').exists()).toBe(true)
  })

  it('keeps the text on a conflict and can save it over the newer version', async () => {
    updateMock.mockRejectedValueOnce(new ApiError('preconditionFailed', 412, 'PreconditionFailed', 'stale'))
    getMock.mockResolvedValue(kettle({ version: 2, typicalRepair: { en: 'Their words.' } }))
    const wrapper = await render()

    await wrapper.find('#advice-typical-en').setValue('My words.')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[data-testid="advice-conflict"]').text()).toContain('Their words.')
    expect((wrapper.find('#advice-typical-en').element as HTMLTextAreaElement).value).toBe('My words.')

    updateMock.mockResolvedValueOnce(kettle({ version: 3, typicalRepair: { en: 'My words.' } }))
    await wrapper.findAll('[data-testid="advice-conflict"] button')[0]!.trigger('click')
    await flushPromises()

    expect(updateMock).toHaveBeenLastCalledWith('kettle', 2, expect.objectContaining({ typicalRepair: { en: 'My words.', nl: 'Vaak de schakelaar.' } }))
    expect(wrapper.find('[data-testid="advice-conflict"]').exists()).toBe(false)
  })

  it('refuses to save without the English text', async () => {
    const wrapper = await render()

    await wrapper.find('#advice-name-en').setValue(' ')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    expect(updateMock).not.toHaveBeenCalled()
    expect(wrapper.find('[role="alert"]').text()).toContain('English name')
  })
})
