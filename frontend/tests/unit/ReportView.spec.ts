// The report screen end to end with a faked client: upload with progress, triage, navigation,
// and a retry that does not upload the photo a second time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ReportView from '../../src/views/ReportView.vue'
import { ApiError, triage, uploadPhoto } from '../../src/api/client'
import { resizePhoto } from '../../src/lib/image'
import { makeAnalysis, makeI18n } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return {
    ...actual,
    uploadPhoto: vi.fn(),
    triage: vi.fn(),
    getVocabulary: vi.fn(async () => ({ categories: ['Kettle', 'Laptop'], outcomes: [], barriers: [], languages: ['en'] })),
  }
})
vi.mock('../../src/lib/image', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/lib/image')>()
  return { ...actual, resizePhoto: vi.fn() }
})
const uploadMock = vi.mocked(uploadPhoto)
const triageMock = vi.mocked(triage)
const resizeMock = vi.mocked(resizePhoto)

async function render() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'report', component: ReportView },
      { path: '/triage/:analysisId', name: 'triage', component: { template: '<p>triage</p>' } },
    ],
  })
  await router.push('/')
  const wrapper = mount(ReportView, { global: { plugins: [makeI18n(), router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

async function choosePhoto(wrapper: Awaited<ReturnType<typeof render>>['wrapper']) {
  const input = wrapper.find<HTMLInputElement>('#photo-input')
  const file = new File(['raw'], 'kettle.jpg', { type: 'image/jpeg' })
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
  await flushPromises()
}

afterEach(() => {
  vi.useRealTimers()
})

beforeEach(() => {
  uploadMock.mockReset()
  triageMock.mockReset()
  resizeMock.mockReset()
  resizeMock.mockResolvedValue({ blob: new Blob(['jpeg'], { type: 'image/jpeg' }), width: 1600, height: 1200 })
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:preview', revokeObjectURL: () => {} }))
})

describe('ReportView', () => {
  it('has a camera-ready photo input that accepts images', async () => {
    const { wrapper } = await render()
    const input = wrapper.find('#photo-input')
    expect(input.attributes('accept')).toBe('image/*')
    expect(input.attributes('capture')).toBe('environment')
    wrapper.unmount()
  })

  it('previews the resized photo', async () => {
    const { wrapper } = await render()
    await choosePhoto(wrapper)
    expect(resizeMock).toHaveBeenCalled()
    expect(wrapper.find('.photo-picker__preview img').attributes('src')).toBe('blob:preview')
    expect(wrapper.text()).toContain('1600 × 1200 px')
    wrapper.unmount()
  })

  it('asks for a description before sending anything', async () => {
    const { wrapper } = await render()
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#description-error').exists()).toBe(true)
    expect(document.activeElement?.id).toBe('description')
    expect(uploadMock).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('uploads with a progress bar, runs the triage and opens the result', async () => {
    let report: (fraction: number) => void = () => {}
    let finishUpload: (imageId: string) => void = () => {}
    uploadMock.mockImplementation((_blob, onProgress) => {
      report = onProgress ?? report
      return new Promise((resolve) => (finishUpload = resolve))
    })
    triageMock.mockResolvedValue(makeAnalysis({ analysisId: 'an_new', analysisToken: 'tok-new' }))
    const { wrapper, router } = await render()
    await choosePhoto(wrapper)
    await wrapper.find('#description').setValue('The kettle does not heat')
    await wrapper.find('#category').setValue('Kettle')
    await wrapper.find('#age').setValue('6')
    await wrapper.find('form').trigger('submit')
    await flushPromises()

    report(0.4)
    await flushPromises()
    expect(wrapper.find('progress').attributes('value')).toBe('0.4')
    expect(wrapper.text()).toContain('Uploading photo: 40%')

    finishUpload('img_9')
    await flushPromises()
    expect(triageMock).toHaveBeenCalledWith({
      imageId: 'img_9',
      description: 'The kettle does not heat',
      productCategory: 'Kettle',
      productAgeYears: 6,
      language: 'en',
    })
    // The analysis's token rides in the fragment: no server ever receives it.
    expect(router.currentRoute.value.fullPath).toBe('/triage/an_new#token=tok-new')
    wrapper.unmount()
  })

  it('retries a failed triage, after the wait the service asked for, without uploading the photo again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    uploadMock.mockResolvedValue('img_1')
    triageMock
      .mockRejectedValueOnce(new ApiError('unavailable', 503, 'ServiceUnavailable', '', 2))
      .mockResolvedValueOnce(makeAnalysis({ analysisId: 'an_2', analysisToken: 'tok-2' }))
    const { wrapper, router } = await render()
    await choosePhoto(wrapper)
    await wrapper.find('#description').setValue('Lamp flickers and buzzes')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const notice = wrapper.find('.notice--error')
    expect(notice.find('[role="alert"]').text()).toContain('try again in 2 seconds')
    await vi.advanceTimersByTimeAsync(2000)
    await notice.find('button').trigger('click')
    await flushPromises()
    expect(uploadMock).toHaveBeenCalledTimes(1)
    expect(triageMock).toHaveBeenCalledTimes(2)
    expect(triageMock.mock.calls[0]).toEqual(triageMock.mock.calls[1])
    expect(router.currentRoute.value.fullPath).toBe('/triage/an_2#token=tok-2')
    wrapper.unmount()
  })

  it('explains an offline upload and offers a retry', async () => {
    uploadMock.mockRejectedValueOnce(new ApiError('offline', 0, 'NetworkError', ''))
    const { wrapper } = await render()
    await choosePhoto(wrapper)
    await wrapper.find('#description').setValue('Zip is broken on my coat')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const notice = wrapper.find('.notice--error')
    expect(notice.find('[role="alert"]').text()).toContain('internet connection')
    expect(notice.find('button').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('shows a photo that cannot be read as such, without a retry', async () => {
    const { PhotoError } = await import('../../src/lib/image')
    resizeMock.mockRejectedValueOnce(new PhotoError('notAnImage', 'decode failed'))
    const { wrapper } = await render()
    await choosePhoto(wrapper)
    const notice = wrapper.find('.photo-picker .notice--error')
    expect(notice.find('[role="alert"]').text()).toContain('not a photo we can read')
    expect(notice.find('button').exists()).toBe(false)
    wrapper.unmount()
  })

  it('works without a photo', async () => {
    triageMock.mockResolvedValue(makeAnalysis({ analysisId: 'an_3', productCategory: null }))
    const { wrapper } = await render()
    await wrapper.find('#description').setValue('Toaster does not pop up')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(uploadMock).not.toHaveBeenCalled()
    expect(triageMock.mock.calls[0]?.[0]).not.toHaveProperty('imageId')
    wrapper.unmount()
  })
})
