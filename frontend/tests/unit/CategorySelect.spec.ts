// The category list: Open Repair Data names from the API, shown and sorted in the UI language,
// while the value chosen (what goes back to the API) stays the English name.
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import CategorySelect from '../../src/components/CategorySelect.vue'
import { mountOptions } from './helpers'

vi.mock('../../src/api/client', () => ({
  getVocabulary: vi.fn(async () => ({
    categories: ['Kettle', 'Toaster', 'Unpowered - Bicycle', 'Aircon/dehumidifier', 'Hoverboard'],
    outcomes: [],
    barriers: [],
    languages: [],
  })),
}))

async function render(locale: 'nl' | 'fr' | 'en' | 'de', modelValue = '') {
  const wrapper = mount(CategorySelect, {
    props: { id: 'category', label: 'Category', emptyLabel: 'None', hint: 'Pick one', modelValue },
    ...mountOptions({}, locale),
  })
  await flushPromises()
  return wrapper
}

describe('CategorySelect', () => {
  it('lists the categories in the UI language, alphabetically in it, with the English names as values', async () => {
    const options = (await render('nl')).findAll('option').slice(1)
    expect(options.map((option) => option.text())).toEqual(['Airco of ontvochtiger', 'Broodrooster', 'Fiets', 'Hoverboard', 'Waterkoker'])
    expect(options.map((option) => option.attributes('value'))).toEqual([
      'Aircon/dehumidifier',
      'Toaster',
      'Unpowered - Bicycle',
      'Hoverboard', // not in the standard's list: shown as sent
      'Kettle',
    ])
  })

  it('sends the English name when a translated option is chosen', async () => {
    const wrapper = await render('fr')
    const select = wrapper.find<HTMLSelectElement>('select')
    await select.setValue('Kettle')
    expect(select.element.options[select.element.selectedIndex]?.text).toBe('Bouilloire')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['Kettle'])
  })

  it('ties its hint to the select', async () => {
    const wrapper = await render('en')
    expect(wrapper.find('select').attributes('aria-describedby')).toBe('category-hint')
    expect(wrapper.find('#category-hint').text()).toBe('Pick one')
  })
})
