// The shell moves focus to the new page's heading after navigation and keeps the title current.
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import App from '../../src/App.vue'
import { makeI18n } from './helpers'

vi.mock('../../src/api/client', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/client')>()
  return { ...actual, getVocabulary: vi.fn(async () => ({ categories: [], outcomes: [], barriers: [], languages: [] })) }
})

describe('App shell', () => {
  it('focuses the heading of the page navigated to, but not on first load', async () => {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: { template: '<h1>Home</h1>' }, meta: { titleKey: 'report.title' } },
        { path: '/other', component: { template: '<h1>Other</h1>' }, meta: { titleKey: 'notFound.title' } },
      ],
    })
    await router.push('/')
    const wrapper = mount(App, { global: { plugins: [makeI18n(), router] }, attachTo: document.body })
    await flushPromises()
    expect(document.activeElement?.tagName).not.toBe('H1')
    expect(document.title).toBe('What broke? · RepairApp')

    await router.push('/other')
    await flushPromises()
    expect(document.activeElement?.textContent).toBe('Other')
    expect(document.activeElement?.getAttribute('tabindex')).toBe('-1')
    expect(document.title).toBe('Page not found · RepairApp')
    wrapper.unmount()
  })

  it('has a skip link to the main content and a labelled language switcher', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<h1>x</h1>' } }] })
    await router.push('/')
    const wrapper = mount(App, { global: { plugins: [makeI18n(), router] } })
    expect(wrapper.find('a.skip-link').attributes('href')).toBe('#main')
    expect(wrapper.find('main#main').exists()).toBe(true)
    expect(wrapper.find('label[for="language-select"]').text()).toBe('Language')
    expect(wrapper.findAll('#language-select option').map((option) => option.attributes('value'))).toEqual(['nl', 'fr', 'en', 'de'])
    wrapper.unmount()
  })
})

describe('report form across navigation', () => {
  it('keeps what the person typed when they come back to the report', async () => {
    const ReportView = (await import('../../src/views/ReportView.vue')).default
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: ReportView },
        { path: '/elsewhere', component: { template: '<h1>Elsewhere</h1>' } },
      ],
    })
    await router.push('/')
    const wrapper = mount(App, { global: { plugins: [makeI18n(), router] }, attachTo: document.body })
    await flushPromises()
    await wrapper.find('#description').setValue('The zip of my coat is broken')
    await router.push('/elsewhere')
    await flushPromises()
    router.back()
    await vi.waitFor(() => expect(wrapper.find('#description').exists()).toBe(true))
    expect((wrapper.find('#description').element as HTMLTextAreaElement).value).toBe('The zip of my coat is broken')
    wrapper.unmount()
  })
})
