// The one module that talks to the network (fetch for the API, XHR for the photo upload because
// only XHR reports upload progress). Everything else calls the typed functions below and gets
// either the typed body or an ApiError whose `kind` the UI turns into a message.
// The bodies' types are generated from repairapp/openapi.json (`npm run api-types`).
import type {
  TriageAnswer as Analysis,
  RepairHealth as Health,
  PhotoLink,
  Product,
  ProductList,
  ProductUpdate,
  RepairCreated,
  RepairPage,
  RepairRequest,
  RepairUpdate,
  StaffRepair,
  StaffSession,
  Stats,
  TrackedRepair,
  TriageRequest,
  Upload,
  Vocabulary,
} from './schema'
import type {
  EventItem,
  EventItems,
  EventList,
  EventRequest,
  EventSummary,
  EventUpdate,
  RepairEvent,
  StaffEvent,
  StaffEventList,
  TrackedRepairWithBooking,
  WalkInRequest,
} from './events'

/** The staff queue's filters (query parameters of GET /api/repairs). */
export interface RepairQuery {
  status?: string
  category?: string
  cursor?: string
  limit?: number
}

// ---------------------------------------------------------------------------------------------
// Errors

export type ApiErrorKind =
  | 'offline' // the request never got an answer (no network, DNS, connection reset)
  | 'tooLarge' // photo over the byte or pixel cap (client check, 413, S3 EntityTooLarge)
  | 'notAnImage' // not a JPEG/PNG/WebP photo, or a corrupt one
  | 'invalidInput' // 400/422: the server rejected a field
  | 'idempotencyKeyReused' // 422: same key, different body (a bug on our side, never the user's)
  | 'unauthorized' // 401: staff sign-in missing, wrong or expired
  | 'forbidden' // 403: signed in without the needed role
  | 'notFound' // 404
  | 'conflict' // 409: e.g. InvalidTransition (someone else moved the request on)
  | 'preconditionFailed' // 412: stale version in If-Match
  | 'unavailable' // 503: try again after `retryAfterSeconds`
  | 'server' // any other 5xx or an unreadable answer
  | 'unknown'

const KIND_BY_CODE: Record<string, ApiErrorKind> = {
  ImageTooLarge: 'tooLarge',
  TooManyPixels: 'tooLarge',
  EntityTooLarge: 'tooLarge', // S3's XML error for content-length-range
  UnsupportedImageType: 'notAnImage',
  CorruptImage: 'notAnImage',
  IdempotencyKeyReused: 'idempotencyKeyReused',
  InvalidTransition: 'conflict',
  Conflict: 'conflict',
  PreconditionFailed: 'preconditionFailed',
  NotFound: 'notFound',
  ServiceUnavailable: 'unavailable',
}

function kindFromStatus(status: number): ApiErrorKind {
  if (status === 400 || status === 422) return 'invalidInput'
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'notFound'
  if (status === 409) return 'conflict'
  if (status === 412) return 'preconditionFailed'
  if (status === 413) return 'tooLarge'
  if (status === 415) return 'notAnImage'
  if (status === 503) return 'unavailable'
  if (status >= 500) return 'server'
  return 'unknown'
}

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
  }

  /** Whether trying the same action again can succeed without changing anything. */
  get retryable(): boolean {
    return this.kind === 'offline' || this.kind === 'unavailable' || this.kind === 'server'
  }
}

/** Maps a status + the contract's `{Code, Message}` body to an ApiError. Exported for tests. */
export function toApiError(
  status: number,
  body: unknown,
  retryAfterHeader: string | null = null,
): ApiError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const code = typeof record.Code === 'string' ? record.Code : `Http${status}`
  const message = typeof record.Message === 'string' ? record.Message : ''
  // The status decides for the codes that several statuses share (NotFound on a 404 only).
  let kind = KIND_BY_CODE[code] ?? kindFromStatus(status)
  if (code === 'NotFound' && status !== 404) kind = kindFromStatus(status)
  const retryAfter = kind === 'unavailable' || status === 429 ? parseRetryAfter(retryAfterHeader) : null
  return new ApiError(kind, status, code, message, retryAfter)
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return null
  return Math.max(0, Math.ceil((date - now) / 1000))
}

function offlineError(detail: string): ApiError {
  return new ApiError('offline', 0, 'NetworkError', detail)
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys: one per user action. A retry sends the same body and so reuses the key
// (the server returns the first result instead of creating a second analysis or request);
// a changed body is a new action and gets a new key, so the server never answers 422.

const actionKeys = new Map<string, { fingerprint: string; key: string }>()

export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16) // 128 bits, as hex: 32 chars of [0-9a-f], within 8–128
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export function idempotencyKeyFor(scope: string, body: unknown): string {
  const fingerprint = JSON.stringify(body)
  const previous = actionKeys.get(scope)
  if (previous && previous.fingerprint === fingerprint) return previous.key
  const key = newIdempotencyKey()
  actionKeys.set(scope, { fingerprint, key })
  return key
}

/** Forget remembered keys (tests, and after sign-out). */
export function resetIdempotencyKeys(): void {
  actionKeys.clear()
}

// ---------------------------------------------------------------------------------------------
// Staff session: the ID token lives in sessionStorage (gone when the tab closes, not shared
// with other tabs' storage events, never in localStorage).

const SESSION_KEY = 'repairapp.staffSession'

export interface StoredStaffSession {
  idToken: string
  username: string
  roles: string[]
  expiresAt: number // epoch ms
}

type SessionListener = (session: StoredStaffSession | null) => void
const sessionListeners = new Set<SessionListener>()

export function onStaffSessionChange(listener: SessionListener): () => void {
  sessionListeners.add(listener)
  return () => sessionListeners.delete(listener)
}

function setStoredSession(session: StoredStaffSession | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session))
  else sessionStorage.removeItem(SESSION_KEY)
  sessionListeners.forEach((listener) => listener(session))
}

export function getStaffSession(now: number = Date.now()): StoredStaffSession | null {
  const raw = sessionStorage.getItem(SESSION_KEY)
  if (!raw) return null
  try {
    const session = JSON.parse(raw) as StoredStaffSession
    if (typeof session.idToken !== 'string' || !(session.expiresAt > now)) return null
    return session
  } catch {
    return null
  }
}

export function signOut(): void {
  setStoredSession(null)
}

/** Sign out on the server too (the token stops working at once), then forget it here. */
export async function endStaffSession(): Promise<void> {
  if (getStaffSession()) {
    // Best effort: an expired or already refused token changes nothing on the server.
    await send('/api/staff/sessions', { method: 'DELETE', auth: true }).catch(() => undefined)
  }
  signOut()
}

// ---------------------------------------------------------------------------------------------
// The request core

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  body?: unknown
  /** Extra headers (e.g. a tracking token: secrets never go in the URL). */
  headers?: Record<string, string>
  /** Sends `Idempotency-Key`, derived from this scope and the body. */
  idempotencyScope?: string
  /** Sends the staff token; a 401 answer clears the stored session. */
  auth?: boolean
  ifMatch?: string | number
  accept?: string
  signal?: AbortSignal
}

async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    ...options.headers,
    Accept: options.accept ?? 'application/json',
  }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.idempotencyScope) {
    headers['Idempotency-Key'] = idempotencyKeyFor(options.idempotencyScope, options.body)
  }
  if (options.ifMatch !== undefined) headers['If-Match'] = String(options.ifMatch)
  if (options.auth) {
    const session = getStaffSession()
    if (!session) throw new ApiError('unauthorized', 401, 'NotSignedIn', 'Not signed in')
    headers.Authorization = `Bearer ${session.idToken}`
  }

  let response: Response
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw offlineError(String(error))
  }

  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null)
    const apiError = toApiError(response.status, body, response.headers.get('Retry-After'))
    if (options.auth && apiError.kind === 'unauthorized') signOut()
    throw apiError
  }
  return response
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options)
  try {
    return (await response.json()) as T
  } catch {
    // A 200 whose body is not JSON is a proxy or fallback answering instead of the API.
    throw new ApiError('server', response.status, 'InvalidResponse', 'The answer was not JSON')
  }
}

const enc = encodeURIComponent

// ---------------------------------------------------------------------------------------------
// Citizens

export function getHealth(): Promise<Health> {
  return request('/api/health')
}

let vocabularyPromise: Promise<Vocabulary> | null = null

/** The vocabulary never changes while the page is open: fetch it once (and again after a failure). */
export function getVocabulary(): Promise<Vocabulary> {
  vocabularyPromise ??= request<Vocabulary>('/api/vocabulary').catch((error: unknown) => {
    vocabularyPromise = null
    throw error
  })
  return vocabularyPromise
}

export function createUpload(contentType: 'image/jpeg' | 'image/png' | 'image/webp'): Promise<Upload> {
  return request('/api/uploads', { method: 'POST', body: { contentType } })
}

export type ProgressListener = (fraction: number) => void

/**
 * POSTs the photo straight to S3 with the presigned `fields` first and the file last (S3 ignores
 * fields after `file`). XHR rather than fetch: fetch has no upload progress events.
 */
export function uploadToStorage(
  upload: Upload,
  file: Blob,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<void> {
  if (file.size > upload.maxBytes) {
    return Promise.reject(
      new ApiError('tooLarge', 413, 'ImageTooLarge', `${file.size} > ${upload.maxBytes} bytes`),
    )
  }
  const form = new FormData()
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value)
  form.append('file', file, 'photo.jpg')

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', upload.url)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1)
        resolve()
        return
      }
      // S3 answers errors in XML: <Error><Code>EntityTooLarge</Code><Message>…</Message></Error>
      const text = typeof xhr.responseText === 'string' ? xhr.responseText : ''
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1]
      const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? ''
      if (xhr.status === 403) {
        // S3 refuses an expired or already-used presigned policy with 403 AccessDenied: a retry
        // asks for a fresh one, so this is a retryable failure, not a permissions problem.
        reject(new ApiError('server', 403, code ?? 'AccessDenied', message))
        return
      }
      reject(toApiError(xhr.status, code ? { Code: code, Message: message } : null,
        xhr.getResponseHeader('Retry-After')))
    }
    xhr.onerror = () => reject(offlineError('Upload failed'))
    xhr.ontimeout = () => reject(offlineError('Upload timed out'))
    xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'))
    signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(form)
  })
}

/** Presign, then upload; returns the imageId to pass to triage. */
export async function uploadPhoto(
  photo: Blob,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<string> {
  const upload = await createUpload('image/jpeg')
  await uploadToStorage(upload, photo, onProgress, signal)
  return upload.imageId
}

export function triage(body: TriageRequest): Promise<Analysis> {
  return request('/api/triage', { method: 'POST', body, idempotencyScope: 'triage' })
}

export function getAnalysis(analysisId: string, token: string): Promise<Analysis> {
  return request(`/api/analyses/${enc(analysisId)}`, { headers: { 'X-Analysis-Token': token } })
}

export function createRepair(body: RepairRequest): Promise<RepairCreated> {
  return request('/api/repairs', { method: 'POST', body, idempotencyScope: 'repair' })
}

export function getTrackedRepair(repairId: string, token: string): Promise<TrackedRepair> {
  return request(`/api/repairs/${enc(repairId)}`, { headers: { 'X-Tracking-Token': token } })
}

// ---------------------------------------------------------------------------------------------
// Staff

export async function signIn(username: string, password: string): Promise<StoredStaffSession> {
  const session = await request<StaffSession>('/api/staff/sessions', {
    method: 'POST',
    body: { username, password },
  })
  const stored: StoredStaffSession = {
    idToken: session.idToken,
    username: session.username,
    roles: session.roles,
    // A minute early, so a request never leaves with a token that expires on the way.
    expiresAt: Date.now() + Math.max(0, session.expiresIn - 60) * 1000,
  }
  setStoredSession(stored)
  return stored
}

export function listRepairs(query: RepairQuery = {}): Promise<RepairPage> {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value))
  }
  const search = params.toString()
  return request(`/api/repairs${search ? `?${search}` : ''}`, { auth: true })
}

export function getStaffRepair(repairId: string): Promise<StaffRepair> {
  return request(`/api/staff/repairs/${enc(repairId)}`, { auth: true })
}

/** 404 `NoPhoto` (sent without one) or `PhotoGone` (deleted: closed, or older than 7 days). */
export function getStaffRepairPhoto(repairId: string): Promise<PhotoLink> {
  return request(`/api/staff/repairs/${enc(repairId)}/photo`, { auth: true })
}

export function updateRepair(
  repairId: string,
  version: string | number,
  update: RepairUpdate,
): Promise<StaffRepair> {
  return request(`/api/repairs/${enc(repairId)}`, {
    method: 'PATCH',
    body: update,
    ifMatch: version,
    auth: true,
  })
}

export function getStats(): Promise<Stats> {
  return request('/api/stats', { auth: true })
}

export async function exportCsv(): Promise<Blob> {
  const response = await send('/api/export.csv', { auth: true, accept: 'text/csv' })
  return response.blob()
}

// ---------------------------------------------------------------------------------------------
// Coordinators: the advice the triage shows per category (SmartRe's catalogue, through RepairApp)

export function listProducts(): Promise<ProductList> {
  return request('/api/staff/products', { auth: true })
}

export function getProduct(productId: string): Promise<Product> {
  return request(`/api/staff/products/${enc(productId)}`, { auth: true })
}

/** A stale `version` (another coordinator saved first) is an ApiError of kind preconditionFailed. */
export function updateProduct(productId: string, version: number, update: ProductUpdate): Promise<Product> {
  return request(`/api/staff/products/${enc(productId)}`, {
    method: 'PUT',
    body: update,
    ifMatch: `"${version}"`,
    auth: true,
  })
}

// ---------------------------------------------------------------------------------------------
// Repair-café events ("sessions" to people): the public list, bookings on a tracked request,
// and the coordinator's and the table's staff routes.

/** GET /api/events: coming events, nearest first with a postcode. 400 InvalidPostcode. */
export interface EventQuery {
  postcode?: string
  radiusKm?: number
  category?: string
}

export function listEvents(query: EventQuery = {}): Promise<EventList> {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value))
  }
  const search = params.toString()
  return request(`/api/events${search ? `?${search}` : ''}`)
}

export function getEvent(eventId: string): Promise<RepairEvent> {
  return request(`/api/events/${enc(eventId)}`)
}

/** The iCalendar file of an event: a plain link (the browser downloads it), never fetched here. */
export function eventCalendarUrl(eventId: string): string {
  return `/api/events/${enc(eventId)}/calendar.ics`
}

/** Book or move: 409 EventFull / EventClosed / RepairClosed / AlreadyCheckedIn, 422 CategoryNotAccepted. */
export function bookEvent(repairId: string, token: string, eventId: string): Promise<TrackedRepairWithBooking> {
  return request(`/api/repairs/${enc(repairId)}/booking`, {
    method: 'PUT',
    body: { eventId },
    headers: { 'X-Tracking-Token': token },
  })
}

export function cancelBooking(repairId: string, token: string): Promise<TrackedRepairWithBooking> {
  return request(`/api/repairs/${enc(repairId)}/booking`, {
    method: 'DELETE',
    headers: { 'X-Tracking-Token': token },
  })
}

export function listStaffEvents(): Promise<StaffEventList> {
  return request('/api/staff/events', { auth: true })
}

export function createEvent(body: EventRequest): Promise<StaffEvent> {
  return request('/api/staff/events', { method: 'POST', body, auth: true })
}

/** 412 when another coordinator saved first; 409 CapacityBelowBookings. */
export function updateEvent(eventId: string, version: number, update: EventUpdate): Promise<StaffEvent> {
  return request(`/api/staff/events/${enc(eventId)}`, { method: 'PATCH', body: update, ifMatch: version, auth: true })
}

export function getEventItems(eventId: string): Promise<EventItems> {
  return request(`/api/staff/events/${enc(eventId)}/items`, { auth: true })
}

/** Idempotent for the same repair: a retry gets the same ticket. */
export function checkIn(eventId: string, repairId: string): Promise<EventItem> {
  return request(`/api/staff/events/${enc(eventId)}/checkins`, { method: 'POST', body: { repairId }, auth: true })
}

export function addWalkIn(eventId: string, body: WalkInRequest): Promise<EventItem> {
  return request(`/api/staff/events/${enc(eventId)}/walk-ins`, {
    method: 'POST',
    body,
    idempotencyScope: `walk-in:${eventId}`,
    auth: true,
  })
}

export function claimRepair(repairId: string, version: number): Promise<EventItem> {
  return request(`/api/staff/repairs/${enc(repairId)}/claim`, { method: 'POST', ifMatch: version, auth: true })
}

export function getEventSummary(eventId: string): Promise<EventSummary> {
  return request(`/api/staff/events/${enc(eventId)}/summary`, { auth: true })
}
