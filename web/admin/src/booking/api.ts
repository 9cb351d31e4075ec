import { API_PREFIX, authFetch } from '../api/client'
import type {
  BookingRules,
  Category,
  CategoryInput,
  Holiday,
  Leave,
  Order,
  OrderQuery,
  OrderSummary,
  Page,
  Region,
  RegionInput,
  RegionPrice,
  Service,
  ServiceInput,
  WeeklyRange,
  Worker,
  WorkerPatch,
} from './types'

/** Same shape as openapi-fetch results so views can treat both alike. */
export interface Result<T> {
  data?: T
  error?: unknown
  response?: Response
}

type Query = Record<string, string | number | boolean | undefined | null>

async function call<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<Result<T>> {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v))
  }
  const url = `${API_PREFIX}${path}${qs.size ? `?${qs}` : ''}`
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
  if (method === 'POST') headers['Idempotency-Key'] = newKey()
  const response = await authFetch(url, {
    method,
    headers,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  })
  let payload: unknown = undefined
  if (response.status !== 204) {
    const text = await response.text()
    if (text) {
      try {
        payload = JSON.parse(text)
      } catch {
        payload = { detail: text.slice(0, 200) }
      }
    }
  }
  if (!response.ok) return { error: payload ?? { title: `HTTP ${response.status}`, status: response.status }, response }
  return { data: (payload ?? null) as T, response }
}

function newKey(): string {
  const c = globalThis.crypto as Crypto | undefined
  if (c?.randomUUID) return c.randomUUID()
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

/** Lists may come back paged ({items,total}) or as plain arrays; normalise to a page. */
export function asPage<T>(data: Page<T> | T[] | null | undefined): Page<T> {
  if (!data) return { items: [], total: 0 }
  if (Array.isArray(data)) return { items: data, total: data.length }
  return { ...data, items: data.items ?? [], total: data.total ?? data.items?.length ?? 0 }
}

async function paged<T>(r: Promise<Result<Page<T> | T[]>>): Promise<Result<Page<T>>> {
  const res = await r
  return res.data !== undefined ? { ...res, data: asPage(res.data) } : { error: res.error, response: res.response }
}

export const bookingApi = {
  // orders (orders.read / orders.write)
  listOrders: (q: OrderQuery) => paged<OrderSummary>(call('GET', '/admin/orders', { query: q as Query })),
  getOrder: (id: number) => call<Order>('GET', `/admin/orders/${id}`),
  markPaid: (id: number) => call<Order>('POST', `/admin/orders/${id}/mark-paid`),

  // catalog (catalog.write)
  catalog: () => call<Category[]>('GET', '/admin/catalog'),
  createCategory: (body: CategoryInput) => call<Category>('POST', '/admin/categories', { body }),
  updateCategory: (id: number, body: Partial<CategoryInput>) => call<Category>('PATCH', `/admin/categories/${id}`, { body }),
  createService: (body: ServiceInput) => call<Service>('POST', '/admin/services', { body }),
  updateService: (id: number, body: Partial<ServiceInput>) => call<Service>('PATCH', `/admin/services/${id}`, { body }),
  reorderServices: (ids: number[]) => call<unknown>('POST', '/admin/services/reorder', { body: { ids } }),
  setRegionPrices: (id: number, prices: RegionPrice[]) =>
    call<unknown>('PUT', `/admin/services/${id}/region-prices`, { body: { prices } }),
  /** Public service (with region overrides applied when region_id is given). */
  publicService: (id: number, regionId?: number) => call<Service>('GET', `/services/${id}`, { query: { region_id: regionId } }),

  // regions (public read, regions.write)
  regions: () => call<Region[]>('GET', '/regions'),
  createRegion: (body: RegionInput) => call<Region>('POST', '/admin/regions', { body }),
  updateRegion: (id: number, body: Partial<RegionInput>) => call<Region>('PATCH', `/admin/regions/${id}`, { body }),

  // booking rules (rules.write)
  rules: () => call<BookingRules>('GET', '/admin/booking-rules'),
  saveRules: (body: BookingRules) => call<BookingRules>('PUT', '/admin/booking-rules', { body }),
  holidays: () => call<Holiday[] | Page<Holiday>>('GET', '/admin/holidays'),
  addHoliday: (body: Holiday) => call<Holiday>('POST', '/admin/holidays', { body }),
  deleteHoliday: (h: Holiday) => call<unknown>('DELETE', `/admin/holidays/${h.id ?? h.date}`),

  // workers (workers.write)
  listWorkers: (q: { q?: string; page?: number; page_size?: number }) => paged<Worker>(call('GET', '/admin/workers', { query: q })),
  updateWorker: (id: number, body: WorkerPatch) => call<Worker>('PATCH', `/admin/workers/${id}`, { body }),
  setWeekly: (id: number, weekly: WeeklyRange[]) => call<unknown>('PUT', `/admin/workers/${id}/weekly`, { body: { weekly } }),
  addLeave: (id: number, body: Leave) => call<Leave>('POST', `/admin/workers/${id}/leaves`, { body }),
}
