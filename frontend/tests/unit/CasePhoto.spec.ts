// The person's photo on the staff page: a link from the staff-only route, the day it is deleted,
// and a plain sentence once it is gone.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import CasePhoto from '../../src/components/staff/CasePhoto.vue'
import { ApiError, getStaffRepairPhoto } from '../../src/api/client'
import { mountOptions } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return { ...actual, getStaffRepairPhoto: vi.fn() }
})
const photoMock = vi.mocked(getStaffRepairPhoto)

function render(props: { imageId: string | null; closed?: boolean }) {
  return mount(CasePhoto, { props: { repairId: 'rp_1', closed: false, ...props }, ...mountOptions() })
}

beforeEach(() => {
  photoMock.mockReset()
})

describe('CasePhoto', () => {
  it('shows the photo from its short-lived link and when it will be deleted', async () => {
    photoMock.mockResolvedValue({
      url: 'http://s3.test/uploads/img_1/photo?X-Amz-Signature=abc',
      expiresAt: '2026-11-27T16:05:00Z',
      deletedAfter: '2026-12-04T16:00:00Z',
    })
    const wrapper = render({ imageId: 'img_1' })
    await flushPromises()
    expect(photoMock).toHaveBeenCalledWith('rp_1')
    expect(wrapper.find('img').attributes('src')).toBe('http://s3.test/uploads/img_1/photo?X-Amz-Signature=abc')
    expect(wrapper.text()).toContain('Photos are deleted after 7 days: this one on')
  })

  it('says the photo is gone when the API answers PhotoGone', async () => {
    photoMock.mockRejectedValue(new ApiError('notFound', 404, 'PhotoGone', 'gone'))
    const wrapper = render({ imageId: 'img_1' })
    await flushPromises()
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.find('[data-testid="case-photo-gone"]').text()).toContain('The photo is gone')
  })

  it('says the photo is gone on a closed request, without asking for a link', async () => {
    const wrapper = render({ imageId: null, closed: true })
    await flushPromises()
    expect(photoMock).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid="case-photo-gone"]').exists()).toBe(true)
  })

  it('says when no photo was sent', async () => {
    const wrapper = render({ imageId: null })
    await flushPromises()
    expect(wrapper.find('[data-testid="case-photo-none"]').text()).toBe('No photo was sent.')
  })
})
