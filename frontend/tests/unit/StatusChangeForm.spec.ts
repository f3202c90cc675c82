// Staff status changes: outcome recorded on close, barrier required for end of life, version
// conflicts shown with a reload (never swallowed, never retried blindly).
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import StatusChangeForm from '../../src/components/staff/StatusChangeForm.vue'
import { ApiError, updateRepair } from '../../src/api/client'
import type { StaffRepair } from '../../src/api/types'
import { mountOptions } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return {
    ...actual,
    updateRepair: vi.fn(),
    getVocabulary: vi.fn(async () => ({ categories: [], outcomes: [], barriers: ['Spare parts not available', 'No way to open product'], languages: [] })),
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
    contact: { name: 'Ann', email: 'ann@example.be' },
    postcode: '3000',
    version: 3,
    ...overrides,
  }
}

function render(props = repair()) {
  return mount(StatusChangeForm, { props: { repair: props }, ...mountOptions() })
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
    await wrapper.find('#note').setValue('New fuse')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(updateMock).toHaveBeenCalledWith('rp_1', 3, { status: 'fixed', outcome: 'Fixed', note: 'New fuse' })
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
})
