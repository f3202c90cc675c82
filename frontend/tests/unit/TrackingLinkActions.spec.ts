// Copy and share the tracking link: the page's own address, token fragment included.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import TrackingLinkActions from '../../src/components/TrackingLinkActions.vue'
import { mountOptions } from './helpers'

function render() {
  window.history.replaceState(null, '', '/repairs/rp_1#token=secret')
  return mount(TrackingLinkActions, mountOptions())
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('TrackingLinkActions', () => {
  it('copies the link with its token and says so', async () => {
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const wrapper = render()
    await wrapper.find('[data-testid="copy-link"]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(window.location.href)
    expect(window.location.href).toContain('#token=secret')
    expect(wrapper.text()).toContain('Link copied.')
  })

  it('offers the link to select when the clipboard is refused', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) } })
    const wrapper = render()
    await wrapper.find('[data-testid="copy-link"]').trigger('click')
    await flushPromises()
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe(window.location.href)
  })

  it('shares through the Web Share API where there is one', async () => {
    const share = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { ...navigator, share })
    const wrapper = render()
    await wrapper.find('[data-testid="share-link"]').trigger('click')
    await flushPromises()
    expect(share).toHaveBeenCalledWith({ title: 'My repair request', url: window.location.href })
  })
})
