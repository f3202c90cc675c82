// Old tracking links (`?token=`) still open, once: the router moves the token into the fragment.
import { describe, expect, it } from 'vitest'
import { router, withTokenInFragment } from '../../src/router'
import { hashWithToken, tokenFromHash } from '../../src/lib/fragment'

describe('tracking links', () => {
  it('moves a query token into the fragment and replaces the history entry', async () => {
    const to = router.resolve('/repairs/rp_1?token=abc_DEF-123&lang=nl')
    expect(withTokenInFragment(to)).toEqual({
      name: 'tracking',
      params: { repairId: 'rp_1' },
      query: { lang: 'nl' },
      hash: '#token=abc_DEF-123',
      replace: true,
    })
  })

  it('leaves fragment links and other pages alone', () => {
    expect(withTokenInFragment(router.resolve('/repairs/rp_1#token=abc'))).toBeNull()
    expect(withTokenInFragment(router.resolve('/triage/an_1?token=abc'))).toBeNull()
  })

  it('hands the fragment token to the tracking view', () => {
    const route = router.resolve('/repairs/rp_1#token=abc')
    const record = route.matched[0]
    const props = record?.props.default as (r: typeof route) => Record<string, unknown>
    expect(props(route)).toEqual({ repairId: 'rp_1', token: 'abc' })
  })

  it('reads and writes the fragment symmetrically, even with reserved characters', () => {
    expect(tokenFromHash(hashWithToken('a+b/c=='))).toBe('a+b/c==')
    expect(tokenFromHash('')).toBe('')
    expect(tokenFromHash('#other=1')).toBe('')
  })
})
