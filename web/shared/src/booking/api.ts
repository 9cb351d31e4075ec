/**
 * Booking calls on top of the shared client. Most go through `api.raw` (auth, refresh, locale,
 * problem decoding). Creating and changing orders read the problem body themselves because a
 * 409 `slot_unavailable` carries `alternatives`, which ApiProblem does not keep.
 */
import type { Api } from '../api/client'
import { ApiProblem, networkProblem } from '../api/problem'
import { locale } from '../i18n'
import type {
  Address,
  AddressInput,
  Availability,
  CancelReason,
  Category,
  Order,
  OrderCreate,
  OrderPatch,
  OrderSummary,
  Page,
  Plan,
  PlanCreate,
  PlanPatch,
  Quote,
  QuoteRequest,
  Region,
  Service,
} from './types'

type FetchLike = (input: string, init?: { method: string; headers: Record<string, string>; body?: string }) => Promise<Response>
type Call = (path: string, init?: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>
interface RawClient {
  GET: Call
  POST: Call
  PATCH: Call
  PUT: Call
  DELETE: Call
}

/** ApiProblem plus the whole problem body (e.g. `alternatives`). */
export type BookingProblem = ApiProblem & { body?: Record<string, unknown> }

export function alternativesOf(e: unknown): { start: string; end: string }[] {
  const b = (e as BookingProblem)?.body
  const alts = b && Array.isArray(b.alternatives) ? (b.alternatives as { start: string; end: string }[]) : []
  return alts.filter((a) => a && typeof a.start === 'string')
}

export interface BookingApiOptions {
  baseUrl: string
  /** fetch(url, init) (globalThis.fetch in H5, createUniFetch(uni.request) in the mini program) */
  fetch: FetchLike
}

export function createBookingApi(api: Api, opts: BookingApiOptions) {
  const raw = api.raw as unknown as RawClient
  const V = '/api/v1'

  async function ok<T>(p: ReturnType<Call>): Promise<T> {
    const r = await p
    if (r.error !== undefined || !r.response.ok) throw ApiProblem.from(r.response.status, r.error)
    return r.data as T
  }
  const get = <T>(path: string, query?: Record<string, unknown>) =>
    ok<T>(raw.GET(V + path, query ? { params: { query: clean(query) } } : {}))
  const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    ok<T>(raw.POST(V + path, { body: body ?? {}, ...(headers ? { headers } : {}) }))
  const patch = <T>(path: string, body: unknown) => ok<T>(raw.PATCH(V + path, { body }))
  const del = (path: string) => ok<void>(raw.DELETE(V + path))

  /** Direct JSON request that keeps the problem body; one retry after the client refreshed on 401. */
  async function send<T>(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const h: Record<string, string> = { 'Content-Type': 'application/json', 'Accept-Language': locale.value, ...headers }
      const access = api.tokens.getAccess()
      if (access) h.Authorization = `Bearer ${access}`
      let res: Response
      try {
        res = await opts.fetch(opts.baseUrl + V + path, { method, headers: h, body: JSON.stringify(body) })
      } catch (e) {
        throw networkProblem(e)
      }
      const text = await res.text()
      let data: unknown = null
      try {
        data = text ? JSON.parse(text) : null
      } catch {
        data = text
      }
      if (res.ok) return data as T
      const problem = ApiProblem.from(res.status, data) as BookingProblem
      if (data && typeof data === 'object') problem.body = data as Record<string, unknown>
      if (res.status === 401 && attempt === 0) {
        // let the shared client refresh (or sign out), then retry once
        try {
          await api.me.get()
        } catch {
          throw problem
        }
        continue
      }
      throw problem
    }
  }

  return {
    categories: (q?: string) => get<Category[]>('/services', q ? { q } : undefined),
    service: (id: number, region_id?: number) => get<Service>(`/services/${id}`, region_id ? { region_id } : undefined),
    quote: (req: QuoteRequest) => post<Quote>('/quotes', req),
    regions: () => get<Region[]>('/regions'),
    addresses: {
      list: () => get<Address[]>('/addresses'),
      create: (body: AddressInput) => post<Address>('/addresses', body),
      update: (id: number, body: Partial<AddressInput>) => patch<Address>(`/addresses/${id}`, body),
      remove: (id: number) => del(`/addresses/${id}`),
      setDefault: (id: number) => post<Address>(`/addresses/${id}/default`),
    },
    availability: (q: { service_id: number; address_id: number; from: string; to: string; hours?: number; items?: string }) =>
      get<Availability>('/availability', q),
    orders: {
      create: (body: OrderCreate, idempotencyKey: string) =>
        send<Order>('POST', '/orders', body, { 'Idempotency-Key': idempotencyKey }),
      list: (q: { tab?: string; status?: string; page?: number; page_size?: number }) => get<Page<OrderSummary>>('/orders', q),
      get: (id: number) => get<Order>(`/orders/${id}`),
      update: (id: number, body: OrderPatch) => send<Order>('PATCH', `/orders/${id}`, body),
      cancel: (id: number, reason_code: CancelReason, reason?: string) =>
        post<Order>(`/orders/${id}/cancel`, reason ? { reason_code, reason } : { reason_code }),
      rebook: (id: number) => get<Omit<OrderCreate, 'start'> & { start?: string }>(`/orders/${id}/rebook`),
    },
    plans: {
      create: (body: PlanCreate, idempotencyKey?: string) =>
        post<Plan>('/plans', body, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined),
      list: () => get<Plan[] | Page<Plan>>('/plans').then((r) => (Array.isArray(r) ? r : r.items || [])),
      get: (id: number) => get<Plan>(`/plans/${id}`),
      pause: (id: number) => post<Plan>(`/plans/${id}/pause`),
      resume: (id: number) => post<Plan>(`/plans/${id}/resume`),
      skip: (id: number, date: string) => post<Plan>(`/plans/${id}/skip`, { date }),
      end: (id: number) => post<Plan>(`/plans/${id}/end`),
      update: (id: number, body: PlanPatch) => patch<Plan>(`/plans/${id}`, body),
    },
  }
}

function clean(q: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = v
  return out
}

export type BookingApi = ReturnType<typeof createBookingApi>
