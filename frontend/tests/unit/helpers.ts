// Test helpers: messages loaded statically (English unless a test asks for another language), a
// fake analysis, a fake XHR for uploads.
import { createI18n } from 'vue-i18n'
import { RouterLinkStub } from '@vue/test-utils'
import en from '../../src/i18n/locales/en'
import nl from '../../src/i18n/locales/nl'
import fr from '../../src/i18n/locales/fr'
import de from '../../src/i18n/locales/de'
import type { Locale } from '../../src/i18n'
import type { TriageAnswer as Analysis } from '../../src/api/schema'

const MESSAGES = { en, nl, fr, de }

export function makeI18n(locale: Locale = 'en') {
  return createI18n({ legacy: false, locale, messages: { [locale]: MESSAGES[locale] }, missingWarn: false, fallbackWarn: false })
}

export function mountOptions(extra: Record<string, unknown> = {}, locale: Locale = 'en') {
  return { global: { plugins: [makeI18n(locale)], stubs: { RouterLink: RouterLinkStub } }, ...extra }
}

export function makeAnalysis(overrides: Partial<Analysis> = {}): Analysis {
  return {
    analysisId: 'an_test123',
    productCategory: {
      label: 'Laptop',
      confidence: 0.91,
      recognised: true,
      top3: [
        { label: 'Laptop', confidence: 0.91 },
        { label: 'Tablet', confidence: 0.05 },
        { label: 'Desktop computer', confidence: 0.02 },
      ],
    },
    outcome: { fixed: 0.52, repairable: 0.21, endOfLife: 0.27, predicted: 'Fixed' },
    barrier: { label: 'Spare parts not available', confidence: 0.44 },
    safetyWarnings: [],
    advice: { productId: 'laptop', category: 'Laptop', name: 'Laptop', typicalRepair: 'Replace the battery', commonFaults: ['Battery', 'Hinge'] },
    similarRepairs: {
      category: 'Laptop',
      recordCount: 5123,
      fixed: 0.41,
      repairable: 0.17,
      endOfLife: 0.42,
      topBarriers: [{ label: 'Spare parts not available', share: 0.3 }],
      records: [],
      attribution: 'Open Repair Data, CC BY-SA 4.0: Open Repair Alliance (openrepair.org), compiled by The Restart Project',
    },
    partial: false,
    missing: [],
    modelVersions: { image: 'i1', outcome: 'o1', safety: 's1' },
    inputs: {
      imageId: 'img_1',
      description: 'The battery does not charge any more',
      productCategory: null,
      brand: null,
      productAgeYears: 4,
      language: 'en',
    },
    createdAt: '2026-11-27T16:00:00Z',
    ...overrides,
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

/** A minimal XMLHttpRequest stand-in that records what was sent and lets a test drive events. */
export class FakeXhr {
  static last: FakeXhr | null = null
  method = ''
  url = ''
  body: FormData | null = null
  status = 0
  responseText = ''
  headers: Record<string, string> = {}
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  ontimeout: (() => void) | null = null
  onabort: (() => void) | null = null

  constructor() {
    FakeXhr.last = this
  }
  open(method: string, url: string): void {
    this.method = method
    this.url = url
  }
  send(body: FormData): void {
    this.body = body
  }
  abort(): void {
    this.onabort?.()
  }
  getResponseHeader(name: string): string | null {
    return this.headers[name] ?? null
  }
  progress(loaded: number, total: number): void {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total })
  }
  respond(status: number, text = ''): void {
    this.status = status
    this.responseText = text
    this.onload?.()
  }
}
