// The triage answer: safety first, confidence, "not recognised", partial answers, bars.
import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import TriageResult from '../../src/components/triage/TriageResult.vue'
import { makeAnalysis, mountOptions } from './helpers'

vi.mock('../../src/api/client', () => ({ getVocabulary: vi.fn(async () => ({ categories: ['Kettle', 'Laptop'], outcomes: [], barriers: [], languages: [] })) }))

function render(overrides = {}) {
  return mount(TriageResult, { props: { analysis: makeAnalysis(overrides) }, ...mountOptions() })
}

describe('TriageResult', () => {
  it('shows the recognised category with its confidence', () => {
    const text = render().text()
    expect(text).toContain('This looks like: Laptop')
    expect(text).toContain('likelihood 91%')
    expect(text).toContain('Tablet (5%)')
    expect(text).not.toContain('Desktop computer') // 2 %: not worth mentioning
    expect(text).not.toContain("We don't recognise")
  })

  it('puts safety warnings before everything else, most severe first', () => {
    const wrapper = render({
      safetyWarnings: [
        { code: 'sharp_edges', severity: 'warning', message: 'Mind the glass', advice: 'Wear gloves' },
        { code: 'battery_swollen', severity: 'danger', message: 'Swollen battery', advice: 'Do not charge it' },
      ],
    })
    const sections = wrapper.findAll('.triage-result > *')
    expect(sections[0]?.classes()).toContain('safety')
    const codes = wrapper.findAll('.safety__item').map((item) => item.attributes('data-code'))
    expect(codes).toEqual(['battery_swollen', 'sharp_edges'])
    expect(wrapper.find('.safety').text()).toContain('Do not charge it')
  })

  it('renders no safety section when there are no warnings', () => {
    expect(render().find('.safety').exists()).toBe(false)
  })

  it('says so and offers the alternatives when the item is not recognised', () => {
    const wrapper = render({
      productCategory: {
        label: 'Toaster',
        confidence: 0.22,
        recognised: false,
        top3: [
          { label: 'Toaster', confidence: 0.22 },
          { label: 'Kettle', confidence: 0.2 },
        ],
      },
    })
    expect(wrapper.find('[data-testid="not-recognised"]').text()).toContain("We don't recognise this item")
    expect(wrapper.text()).toContain('Kettle (20%)')
    expect(wrapper.text()).not.toContain('This looks like')
  })

  it('exposes needsPick to the picker slot when not recognised or without photo', () => {
    const seen: boolean[] = []
    mount(TriageResult, {
      props: { analysis: makeAnalysis({ productCategory: null }) },
      slots: { pick: (props: { needsPick: boolean }) => (seen.push(props.needsPick), 'picker') },
      ...mountOptions(),
    })
    expect(seen.at(-1)).toBe(true)
  })

  it('shows the category the person chose instead of the model guess', () => {
    const analysis = makeAnalysis()
    analysis.inputs.productCategory = 'Kettle'
    const wrapper = mount(TriageResult, { props: { analysis }, ...mountOptions() })
    expect(wrapper.find('.category__label').text()).toBe('Kettle')
  })

  it('flags a partial answer and names what is missing', () => {
    const wrapper = render({ partial: true, productCategory: null, missing: [{ part: 'productCategory', reason: 'CorruptImage' }] })
    const notice = wrapper.find('[data-testid="partial-notice"]')
    expect(notice.exists()).toBe(true)
    expect(notice.text()).toContain('recognising the item from the photo: CorruptImage')
    expect(wrapper.text()).toContain('There was no photo')
  })

  it('has no partial notice for a complete answer', () => {
    expect(render().find('[data-testid="partial-notice"]').exists()).toBe(false)
  })

  it('draws one bar per outcome with the percentages as text and marks the prediction', () => {
    const wrapper = render()
    const rows = wrapper.findAll('section[aria-labelledby="outcome-title"] .bars__row')
    expect(rows.map((row) => row.find('.bars__value').text())).toEqual(['52%', '21%', '27%'])
    expect(rows[0]?.classes()).toContain('bars__row--predicted')
    expect(rows[0]?.find('.bars__fill').attributes('style')).toContain('width: 52%')
    expect(wrapper.text()).toContain('Most likely: Fixed')
  })

  it('shows the likely barrier, the advice and the similar past repairs', () => {
    const text = render().text()
    expect(text).toContain('Spare parts not available (44% likely')
    expect(text).toContain('Replace the battery')
    expect(text).toContain('Of 5,123 repairs in the category Laptop')
  })

  it('names categories, outcomes and barriers in the UI language', () => {
    const analysis = makeAnalysis({
      productCategory: {
        label: 'Toaster',
        confidence: 0.3,
        recognised: false,
        top3: [
          { label: 'Toaster', confidence: 0.3 },
          { label: 'Kettle', confidence: 0.2 },
        ],
      },
      outcome: { fixed: 0.2, repairable: 0.1, endOfLife: 0.7, predicted: 'End of life' },
      barrier: { label: 'No way to open product', confidence: 0.5 },
      similarRepairs: {
        category: 'Toaster',
        recordCount: 812,
        fixed: 0.3,
        repairable: 0.1,
        endOfLife: 0.6,
        topBarriers: [{ label: 'Spare parts too expensive', share: 0.4 }],
        records: [],
        attribution: 'Open Repair Data',
      },
    })
    // Intl puts a no-break space before the German percent sign.
    const text = mount(TriageResult, { props: { analysis }, ...mountOptions({}, 'de') }).text().replace(/\s/g, ' ')
    expect(text).toContain('Toaster (30 %)') // "Toaster" is German too
    expect(text).toContain('Wasserkocher (20 %)')
    expect(text).toContain('Am wahrscheinlichsten: Lebensende')
    expect(text).toContain('Gerät lässt sich nicht öffnen (zu 50 % wahrscheinlich')
    expect(text).toContain('Reparaturen der Kategorie Toaster')
    expect(text).toContain('Ersatzteile zu teuer: 40 %')
    expect(text).not.toMatch(/Kettle|No way to open|Spare parts|End of life/)
  })

  it('shows the chosen category in the UI language', () => {
    const analysis = makeAnalysis()
    analysis.inputs.productCategory = 'Unpowered - Bicycle'
    const wrapper = mount(TriageResult, { props: { analysis }, ...mountOptions({}, 'nl') })
    expect(wrapper.find('.category__label').text()).toBe('Fiets')
  })

  it('lists the three likely barriers with their probabilities', () => {
    const wrapper = render({
      barrier: {
        label: 'Spare parts not available',
        confidence: 0.44,
        top3: [
          { label: 'Spare parts not available', confidence: 0.44 },
          { label: 'Too worn out', confidence: 0.3 },
          { label: 'No way to open product', confidence: 0.1 },
        ],
      },
    })
    const items = wrapper.findAll('[data-testid="barrier-top3"] li').map((li) => li.text())
    expect(items).toEqual(['Spare parts not available: 44%', 'Too worn out: 30%', 'No way to open the product: 10%'])
  })

  it('copes with an answer that has no barrier, advice or history', () => {
    const wrapper = render({ barrier: null, advice: null, similarRepairs: null })
    expect(wrapper.find('[data-testid="barrier"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('Similar past repairs')
  })
})

describe('TriageResult: the words and the real records', () => {
  it('offers the category the description names when there was no photo', () => {
    const analysis = makeAnalysis({
      productCategory: null,
      categoryFromText: {
        label: 'Kettle',
        confidence: 0.82,
        top3: [
          { label: 'Kettle', confidence: 0.82 },
          { label: 'Coffee maker', confidence: 0.1 },
        ],
      },
    })
    const wrapper = mount(TriageResult, { props: { analysis }, ...mountOptions({}, 'nl') })
    expect(wrapper.find('[data-testid="category-from-text"]').text()).toBe('Uit je beschrijving: Waterkoker?')
    expect(wrapper.find('[data-testid="not-recognised"]').exists()).toBe(false)
  })

  it('shows the real similar records with their attribution', () => {
    const analysis = makeAnalysis()
    analysis.similarRepairs!.records = [
      {
        year: 2022,
        network: 'Repair Café Wales',
        category: 'Laptop',
        brand: 'Dell',
        problem: 'Battery does not charge',
        outcome: 'Fixed',
        barrier: null,
      },
      {
        year: null,
        network: 'anstiftung & ertomis',
        category: 'Laptop',
        brand: null,
        problem: 'Akku lädt nicht',
        outcome: 'End of life',
        barrier: 'Spare parts not available',
      },
    ]
    const wrapper = mount(TriageResult, { props: { analysis }, ...mountOptions({}, 'en') })
    const records = wrapper.findAll('[data-testid="similar-record"]')
    expect(records).toHaveLength(2)
    expect(records[0]!.text()).toContain('2022 · Repair Café Wales · brand Dell')
    expect(records[0]!.text()).toContain('Battery does not charge')
    expect(records[1]!.text()).toContain('Spare parts not available')
    expect(wrapper.text()).toContain('CC BY-SA 4.0')
  })
})
