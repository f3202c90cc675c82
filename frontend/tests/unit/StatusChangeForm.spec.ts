// Staff status changes: outcome recorded on close, barrier required for end of life, the category
// corrected along the way, version conflicts shown with a reload (never swallowed, never retried
// blindly).
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import StatusChangeForm from '../../src/components/staff/StatusChangeForm.vue'
import { ApiError, updateRepair } from '../../src/api/client'
import type { StaffRepair } from '../../src/api/schema'
import { mountOptions } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return {
    ...actual,
    updateRepair: vi.fn(),
    getVocabulary: vi.fn(async () => ({
      categories: ['Kettle', 'Toaster', 'Coffee maker'],
      outcomes: [],
      barriers: ['Spare parts not available', 'No way to open product'],
      languages: [],
    })),
  }
})
const updateMock = vi.mocked(updateRepair)

function repair(overrides: Partial<StaffRepair> = {}): StaffRepair {
  return {
    repairId: 'rp_1',
    status: 'in_repair',
    history: [],
    productCategory: 'Kettle',
    analysis: null,
    createdAt: '2026-11-27T16:00:00Z',
    updatedAt: '2026-11-27T16:00:00Z',
    booking: null,
    contact: { name: 'Ann', email: 'ann@example.be' },
    postcode: '3000',
    version: 3,
    ...overrides,
  }
}

function render(props = repair(), locale: 'en' | 'nl' | 'fr' | 'de' = 'en') {
  return mount(StatusChangeForm, { props: { repair: props }, ...mountOptions({}, locale) })
}

async function choose(wrapper: ReturnType<typeof render>, status: string) {
  await wrapper.find(`input[value="${status}"]`).setValue(true)
  await flushPromises()
}

beforeEach(() => {
  updateMock.mockReset()
})

describe('StatusChangeForm', () => {
  it('offers only the transitions allowed from the current status', () => {
    const values = render(repair({ status: 'submitted' })).findAll('input[type="radio"]').map((input) => input.attributes('value'))
    expect(values).toEqual(['accepted', 'cancelled'])
  })

  it('has nothing to offer on a closed request', () => {
    expect(render(repair({ status: 'fixed' })).text()).toContain('This request is closed.')
  })

  it('closes as fixed with the Open Repair Data outcome and the version it was shown', async () => {
    updateMock.mockResolvedValue(repair({ status: 'fixed', version: 4 }))
    const wrapper = render()
    await choose(wrapper, 'fixed')
    await wrapper.find('#public-message').setValue('Ready to collect')
    await wrapper.find('#internal-note').setValue('New fuse')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('rp_1', 3, {
      status: 'fixed',
      outcome: 'Fixed',
      publicMessage: 'Ready to collect',
      internalNote: 'New fuse',
    })
    expect(wrapper.emitted('updated')?.[0]?.[0]).toMatchObject({ status: 'fixed', version: 4 })
    expect(wrapper.text()).toContain('Saved: Fixed.')
  })

  it('requires the barrier for end of life and sends it', async () => {
    updateMock.mockResolvedValue(repair({ status: 'end_of_life', version: 4 }))
    const wrapper = render()
    await choose(wrapper, 'end_of_life')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#barrier-error').exists()).toBe(true)
    expect(updateMock).not.toHaveBeenCalled()
    await wrapper.find('#barrier').setValue('No way to open product')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('rp_1', 3, { status: 'end_of_life', outcome: 'End of life', barrier: 'No way to open product' })
  })

  it.each([
    [412, 'PreconditionFailed', 'preconditionFailed'],
    [409, 'InvalidTransition', 'conflict'],
  ] as const)('shows a %i as a conflict with a reload button', async (status, code, kind) => {
    updateMock.mockImplementation(async () => {
      throw new ApiError(kind, status, code, 'stale')
    })
    const wrapper = render(repair({ status: 'submitted' }))
    await choose(wrapper, 'accepted')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const conflict = wrapper.find('[data-testid="conflict"]')
    expect(conflict.attributes('role')).toBe('alert')
    expect(conflict.text()).toContain('Changed by someone else')
    await conflict.find('button').trigger('click')
    expect(wrapper.emitted('reload')).toHaveLength(1)
    expect(updateMock).toHaveBeenCalledTimes(1)
  })

  it('shows the barriers in the UI language and sends the English name', async () => {
    updateMock.mockResolvedValue(repair({ status: 'end_of_life', version: 4 }))
    const wrapper = render(repair(), 'nl')
    await choose(wrapper, 'end_of_life')
    const options = wrapper.findAll('#barrier option').slice(1)
    expect(options.map((option) => option.text())).toEqual(['Geen reserveonderdelen te krijgen', 'Het toestel kan niet geopend worden'])
    await wrapper.find('#barrier').setValue('Spare parts not available')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('rp_1', 3, expect.objectContaining({ barrier: 'Spare parts not available' }))
  })

  it('corrects the product category together with the status change', async () => {
    updateMock.mockResolvedValue(repair({ status: 'accepted', productCategory: 'Coffee maker', version: 4 }))
    const wrapper = render(repair({ status: 'submitted' }))
    // The category field comes with a chosen status (the API takes it only with one).
    expect(wrapper.find('#correct-category').exists()).toBe(false)
    await choose(wrapper, 'accepted')
    const select = wrapper.find<HTMLSelectElement>('#correct-category')
    expect(select.element.value).toBe('Kettle') // starts as the current category
    expect(select.attributes('aria-describedby')).toBe('correct-category-hint')
    await select.setValue('Coffee maker')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('rp_1', 3, { status: 'accepted', productCategory: 'Coffee maker' })
    expect(wrapper.find('[role="status"]').text()).toBe('Saved: Accepted by a volunteer. Category corrected: Coffee maker.')
  })

  it('sets a category on a request that had none', async () => {
    updateMock.mockResolvedValue(repair({ status: 'accepted', productCategory: 'Toaster', version: 4 }))
    const wrapper = render(repair({ status: 'submitted', productCategory: null }))
    await choose(wrapper, 'accepted')
    expect(wrapper.find<HTMLSelectElement>('#correct-category').element.value).toBe('')
    await wrapper.find('#correct-category').setValue('Toaster')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('rp_1', 3, { status: 'accepted', productCategory: 'Toaster' })
  })

  it('shows a stale category correction as a conflict, and starts again from the reloaded request', async () => {
    updateMock.mockImplementation(async () => {
      throw new ApiError('preconditionFailed', 412, 'PreconditionFailed', 'stale')
    })
    const wrapper = render(repair({ status: 'submitted' }))
    await choose(wrapper, 'accepted')
    await wrapper.find('#correct-category').setValue('Toaster')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('rp_1', 3, { status: 'accepted', productCategory: 'Toaster' })
    const conflict = wrapper.find('[data-testid="conflict"]')
    expect(conflict.text()).toContain('Changed by someone else')
    await conflict.find('button').trigger('click')
    expect(wrapper.emitted('reload')).toHaveLength(1)
    expect(updateMock).toHaveBeenCalledTimes(1)
    // The view reloads: someone else had accepted it and set the category meanwhile.
    await wrapper.setProps({ repair: repair({ status: 'accepted', productCategory: 'Coffee maker', version: 4 }) })
    expect(wrapper.find('[data-testid="conflict"]').exists()).toBe(false)
    expect(wrapper.find('input[value="accepted"]').exists()).toBe(false)
    await choose(wrapper, 'in_repair')
    expect(wrapper.find<HTMLSelectElement>('#correct-category').element.value).toBe('Coffee maker')
  })
})
