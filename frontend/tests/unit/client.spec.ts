// The API client: error mapping, idempotency keys, If-Match, the staff token, uploads.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ApiError,
  createRepair,
  getAnalysis,
  getStaffSession,
  listRepairs,
  parseRetryAfter,
  resetIdempotencyKeys,
  signIn,
  toApiError,
  triage,
  updateRepair,
  uploadPhoto,
  uploadToStorage,
  endStaffSession,
  getTrackedRepair,
} from '../../src/api/client'
import type { Upload } from '../../src/api/schema'
import { FakeXhr, jsonResponse, makeAnalysis } from './helpers'

const fetchMock = vi.fn<typeof fetch>()

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  sessionStorage.clear()
  resetIdempotencyKeys()
})
afterEach(() => {
  vi.unstubAllGlobals()
})

function sentHeaders(call = 0): Headers {
  return new Headers(fetchMock.mock.calls[call]?.[1]?.headers)
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

function storeSession(token = 'id-token-1'): void {
  sessionStorage.setItem(
    'repairapp.staffSession',
    JSON.stringify({ idToken: token, username: 'coord', roles: ['coordinator'], expiresAt: Date.now() + 60_000 }),
  )
}

describe('error mapping', () => {
  it.each([
    [413, 'ImageTooLarge', 'tooLarge'],
    [422, 'TooManyPixels', 'tooLarge'],
    [415, 'UnsupportedImageType', 'notAnImage'],
    [422, 'CorruptImage', 'notAnImage'],
    [400, 'InvalidInput', 'invalidInput'],
    [422, 'IdempotencyKeyReused', 'idempotencyKeyReused'],
    [401, 'Unauthorized', 'unauthorized'],
    [403, 'Forbidden', 'forbidden'],
    [404, 'NotFound', 'notFound'],
    [409, 'InvalidTransition', 'conflict'],
    [412, 'PreconditionFailed', 'preconditionFailed'],
    [500, 'InternalError', 'server'],
    [502, 'BadGateway', 'server'],
  ])('maps %i %s to %s', (status, code, kind) => {
    const error = toApiError(status, { Code: code, Message: 'm' })
    expect(error.kind).toBe(kind)
    expect(error.status).toBe(status)
    expect(error.code).toBe(code)
  })

  it('falls back to the status when the body is not the contract shape', () => {
    expect(toApiError(404, '<html>').kind).toBe('notFound')
    expect(toApiError(500, null).code).toBe('Http500')
  })

  it('reads Retry-After on 503 as seconds or as an HTTP date', () => {
    const error = toApiError(503, { Code: 'ServiceUnavailable', Message: 'busy' }, '7')
    expect(error.kind).toBe('unavailable')
    expect(error.retryAfterSeconds).toBe(7)
    expect(error.retryable).toBe(true)
    const now = Date.parse('2026-11-27T16:00:00Z')
    expect(parseRetryAfter('Fri, 27 Nov 2026 16:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfter('soon', now)).toBeNull()
  })

  it('turns a failed fetch into an offline error', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    const error = await caught(getAnalysis('an_1', 'tok'))
    expect(error.kind).toBe('offline')
    expect(error.retryable).toBe(true)
  })

  it('parses the JSON error body of a real response', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(404, { Code: 'NotFound', Message: 'No such analysis' }))
    const error = await caught(getAnalysis('an_missing', 'tok'))
    expect(error.kind).toBe('notFound')
    expect(error.message).toBe('No such analysis')
  })

  it('treats a 200 that is not JSON (an HTML fallback) as a server error', async () => {
    fetchMock.mockResolvedValue(new Response('<!doctype html>', { status: 200 }))
    expect((await caught(getAnalysis('an_1', 'tok'))).code).toBe('InvalidResponse')
  })

  it('escapes ids in paths', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, makeAnalysis()))
    await getAnalysis('a/b?c', 'tok')
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/analyses/a%2Fb%3Fc')
  })
})

describe('idempotency keys', () => {
  const body = { description: 'kettle does not heat', language: 'en' as const }

  it('sends a key of 8–128 characters of [A-Za-z0-9_-]', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(201, makeAnalysis()))
    await triage(body)
    expect(sentHeaders().get('Idempotency-Key')).toMatch(/^[A-Za-z0-9_-]{8,128}$/)
  })

  it('reuses the key when the same action is retried', async () => {
    fetchMock
      .mockResolvedValueOnce(jsonResponse(503, { Code: 'ServiceUnavailable', Message: '' }, { 'Retry-After': '1' }))
      .mockResolvedValueOnce(jsonResponse(201, makeAnalysis()))
    await caught(triage(body))
    await triage({ ...body })
    expect(sentHeaders(0).get('Idempotency-Key')).toBe(sentHeaders(1).get('Idempotency-Key'))
  })

  it('uses a new key when the body changes (a new action)', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(201, makeAnalysis()))
    await triage(body)
    await triage({ ...body, productCategory: 'Kettle' })
    expect(sentHeaders(0).get('Idempotency-Key')).not.toBe(sentHeaders(1).get('Idempotency-Key'))
  })

  it('keeps separate keys per kind of action', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(201, { repairId: 'r', trackingToken: 't', trackingUrl: '/repairs/r#token=t' }))
    await triage(body)
    await createRepair({ analysisId: 'an_1', contact: { name: 'A', email: 'a@b.be' }, postcode: '1000', consent: true })
    expect(sentHeaders(0).get('Idempotency-Key')).not.toBe(sentHeaders(1).get('Idempotency-Key'))
    expect(fetchMock.mock.calls[1]?.[1]?.method).toBe('POST')
  })
})

describe('staff requests', () => {
  it('stores the session from sign-in and sends the token as Bearer', async () => {
    fetchMock
      .mockResolvedValueOnce(jsonResponse(200, { idToken: 'tok', expiresIn: 3600, username: 'coord', roles: ['coordinator'] }))
      .mockResolvedValueOnce(jsonResponse(200, { items: [], nextCursor: null }))
    await signIn('coord', 'secret')
    expect(getStaffSession()?.username).toBe('coord')
    await listRepairs({ status: 'submitted', category: 'Laptop', cursor: undefined })
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/repairs?status=submitted&category=Laptop')
    expect(sentHeaders(1).get('Authorization')).toBe('Bearer tok')
  })

  it('sends If-Match with the version on PATCH', async () => {
    storeSession()
    fetchMock.mockImplementation(async () => jsonResponse(200, { repairId: 'r1', version: 4 }))
    await updateRepair('r1', 3, { status: 'accepted' })
    const init = fetchMock.mock.calls[0]?.[1]
    expect(init?.method).toBe('PATCH')
    expect(sentHeaders().get('If-Match')).toBe('3')
    expect(JSON.parse(String(init?.body))).toEqual({ status: 'accepted' })
  })

  it('surfaces a stale version as preconditionFailed instead of retrying', async () => {
    storeSession()
    fetchMock.mockImplementation(async () => jsonResponse(412, { Code: 'PreconditionFailed', Message: 'stale' }))
    expect((await caught(updateRepair('r1', 3, { status: 'accepted' }))).kind).toBe('preconditionFailed')
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('does not call the API without a session', async () => {
    expect((await caught(listRepairs())).kind).toBe('unauthorized')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('forgets the session when the API answers 401', async () => {
    storeSession()
    fetchMock.mockImplementation(async () => jsonResponse(401, { Code: 'Unauthorized', Message: 'expired' }))
    await caught(listRepairs())
    expect(getStaffSession()).toBeNull()
  })

  it('ignores an expired stored session', () => {
    sessionStorage.setItem(
      'repairapp.staffSession',
      JSON.stringify({ idToken: 't', username: 'u', roles: [], expiresAt: Date.now() - 1 }),
    )
    expect(getStaffSession()).toBeNull()
  })
})

describe('photo upload', () => {
  const upload: Upload = {
    imageId: 'img_1',
    url: 'http://127.0.0.1:5000/photos',
    fields: { key: 'uploads/img_1', policy: 'p', 'x-amz-signature': 's', 'Content-Type': 'image/jpeg' },
    maxBytes: 1000,
    expiresAt: '2026-11-27T16:10:00Z',
  }

  beforeEach(() => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    FakeXhr.last = null
  })

  it('posts the presigned fields first and the file last, reporting progress', async () => {
    const progress: number[] = []
    const done = uploadToStorage(upload, new Blob(['x'.repeat(100)], { type: 'image/jpeg' }), (f) => progress.push(f))
    const xhr = FakeXhr.last!
    expect(xhr.method).toBe('POST')
    expect(xhr.url).toBe(upload.url)
    expect([...xhr.body!.keys()]).toEqual(['key', 'policy', 'x-amz-signature', 'Content-Type', 'file'])
    xhr.progress(50, 100)
    xhr.respond(204)
    await done
    expect(progress).toEqual([0.5, 1])
  })

  it('maps S3 XML EntityTooLarge to tooLarge', async () => {
    const done = uploadToStorage(upload, new Blob(['x']))
    FakeXhr.last!.respond(400, '<Error><Code>EntityTooLarge</Code><Message>too big</Message></Error>')
    expect((await caught(done)).kind).toBe('tooLarge')
  })

  it('maps a network failure during upload to offline', async () => {
    const done = uploadToStorage(upload, new Blob(['x']))
    FakeXhr.last!.onerror?.()
    expect((await caught(done)).kind).toBe('offline')
  })

  it('refuses a file over maxBytes before sending it', async () => {
    const error = await caught(uploadToStorage(upload, new Blob(['x'.repeat(1001)])))
    expect(error.kind).toBe('tooLarge')
    expect(FakeXhr.last).toBeNull()
  })

  it('presigns as image/jpeg, uploads, and returns the imageId', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(201, upload))
    const done = uploadPhoto(new Blob(['x'], { type: 'image/jpeg' }))
    await vi.waitFor(() => expect(FakeXhr.last).not.toBeNull())
    FakeXhr.last!.respond(204)
    expect(await done).toBe('img_1')
    expect(JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body))).toEqual({ contentType: 'image/jpeg' })
  })
})

describe('expired upload policy', () => {
  it('treats S3 AccessDenied as retryable (a retry presigns again)', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const upload: Upload = { imageId: 'i', url: 'http://s3/photos', fields: {}, maxBytes: 10, expiresAt: '' }
    const done = uploadToStorage(upload, new Blob(['x']))
    FakeXhr.last!.respond(403, '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>')
    const error = await caught(done)
    expect(error.kind).toBe('server')
    expect(error.retryable).toBe(true)
  })
})

describe('secrets stay out of URLs', () => {
  it('sends the analysis token in a header, never in the URL', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, makeAnalysis()))
    await getAnalysis('an_1', 'an-secret')
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/analyses/an_1')
    expect(sentHeaders().get('X-Analysis-Token')).toBe('an-secret')
  })

  it('sends the tracking token in a header, never in the URL', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { repairId: 'rp_1' }))
    await getTrackedRepair('rp_1', 'tok-secret')
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/repairs/rp_1')
    expect(sentHeaders().get('X-Tracking-Token')).toBe('tok-secret')
  })

  it('signs out on the server, then forgets the session', async () => {
    storeSession('id-token-9')
    fetchMock.mockImplementation(async () => new Response(null, { status: 204 }))
    await endStaffSession()
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/staff/sessions')
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('DELETE')
    expect(sentHeaders().get('Authorization')).toBe('Bearer id-token-9')
    expect(getStaffSession()).toBeNull()
  })

  it('forgets the session even when the server cannot be reached', async () => {
    storeSession()
    fetchMock.mockImplementation(async () => {
      throw new TypeError('offline')
    })
    await endStaffSession()
    expect(getStaffSession()).toBeNull()
  })
})
