/**
 * Booking calls on the shared typed client (auth, refresh, locale and problem decoding included).
 * A 409 `slot_unavailable` carries `alternatives`, kept in `ApiProblem.body`.
 */
import { ok, type Api } from '@anjia/shared/src/api/client'
import type { paths } from '@anjia/shared/src/api/schema'
import type { AddressInput, CancelReason, CheckoutQuoteBody, OrderCreate, OrderPatch, PlanCreate, PlanPatch, QuoteRequest } from './types'

export function alternativesOf(e: unknown): { start: string; end: string }[] {
  const b = (e as { body?: Record<string, unknown> } | null)?.body
  const alts = b && Array.isArray(b.alternatives) ? (b.alternatives as { start: string; end: string }[]) : []
  return alts.filter((a) => a && typeof a.start === 'string')
}

export function createBookingApi(api: Api) {
  const c = api.raw
  const order = (id: number) => ({ path: { order_id: id } })
  const plan = (id: number) => ({ path: { plan_id: id } })
  const address = (id: number) => ({ path: { address_id: id } })
  return {
    categories: (q?: string) => ok(c.GET('/api/v1/services', { params: { query: q ? { q } : {} } })),
    service: (id: number, region_id?: number) =>
      ok(c.GET('/api/v1/services/{service_id}', { params: { path: { service_id: id }, query: region_id ? { region_id } : {} } })),
    quote: (body: QuoteRequest) => ok(c.POST('/api/v1/quotes', { body })),
    /** The signed-in customer's price: the chosen (by default the best) coupon applied, and their other coupons. */
    checkoutQuote: (body: CheckoutQuoteBody) => ok(c.POST('/api/v1/orders/quote', { body: { no_coupon: false, ...body } })),
    regions: () => ok(c.GET('/api/v1/regions')),
    /** Public: a service's visible reviews (authors masked) and their average. */
    serviceReviews: (id: number, page_size = 3) =>
      ok(c.GET('/api/v1/services/{service_id}/reviews', { params: { path: { service_id: id }, query: { page_size } } })),
    /** Public: a service's slots in a region (at its centre), at most 7 days. */
    availabilityPreview: (q: { service_id: number; region_id: number; from: string; to: string }) =>
      ok(c.GET('/api/v1/availability/preview', { params: { query: q } })),
    /** Public: the server's map settings (tile template, whether place search is served). */
    clientConfig: () => ok(c.GET('/api/v1/config')),
    /** Place suggestions for what the customer typed (GCJ-02, each with its service region). */
    suggestPlaces: (q: string, region_id?: number) =>
      ok(c.GET('/api/v1/places/suggest', { params: { query: region_id ? { q, region_id } : { q } } })),
    /** What is at a point; coord wgs84 for a browser's geolocation (the answer is GCJ-02). */
    reversePlace: (lat: number, lng: number, coord: 'gcj02' | 'wgs84' = 'gcj02') =>
      ok(c.GET('/api/v1/places/reverse', { params: { query: { lat, lng, coord } } })),
    addresses: {
      list: () => ok(c.GET('/api/v1/addresses')),
      create: (body: AddressInput) => ok(c.POST('/api/v1/addresses', { body: { is_default: false, ...body } })),
      update: (id: number, body: Partial<AddressInput>) => ok(c.PATCH('/api/v1/addresses/{address_id}', { params: address(id), body })),
      remove: (id: number) => ok(c.DELETE('/api/v1/addresses/{address_id}', { params: address(id) })),
      setDefault: (id: number) => ok(c.POST('/api/v1/addresses/{address_id}/default', { params: address(id) })),
    },
    availability: (q: { service_id: number; address_id: number; from: string; to: string; hours?: number; items?: string; worker_id?: number }) =>
      ok(c.GET('/api/v1/availability', { params: { query: q } })),
    orders: {
      create: (body: OrderCreate, key: string) =>
        ok(c.POST('/api/v1/orders', { body: { notes: '', no_coupon: false, ...body }, headers: { 'Idempotency-Key': key } })),
      list: (q: NonNullable<paths['/api/v1/orders']['get']['parameters']['query']>) =>
        ok(c.GET('/api/v1/orders', { params: { query: clean(q) } })),
      get: (id: number) => ok(c.GET('/api/v1/orders/{order_id}', { params: order(id) })),
      update: (id: number, body: OrderPatch) => ok(c.PATCH('/api/v1/orders/{order_id}', { params: order(id), body })),
      cancel: (id: number, reason_code: CancelReason, reason?: string) =>
        ok(c.POST('/api/v1/orders/{order_id}/cancel', { params: order(id), body: { reason_code, reason: reason || '' } })),
      rebook: (id: number) => ok(c.GET('/api/v1/orders/{order_id}/rebook', { params: order(id) })),
    },
    plans: {
      create: (body: PlanCreate, key?: string) =>
        ok(c.POST('/api/v1/plans', { body: { notes: '', ...body }, ...(key ? { headers: { 'Idempotency-Key': key } } : {}) })),
      list: () => ok(c.GET('/api/v1/plans')),
      get: (id: number) => ok(c.GET('/api/v1/plans/{plan_id}', { params: plan(id) })),
      pause: (id: number) => ok(c.POST('/api/v1/plans/{plan_id}/pause', { params: plan(id) })),
      resume: (id: number) => ok(c.POST('/api/v1/plans/{plan_id}/resume', { params: plan(id) })),
      skip: (id: number, date: string) => ok(c.POST('/api/v1/plans/{plan_id}/skip', { params: plan(id), body: { date } })),
      end: (id: number) => ok(c.POST('/api/v1/plans/{plan_id}/end', { params: plan(id) })),
      update: (id: number, body: PlanPatch) => ok(c.PATCH('/api/v1/plans/{plan_id}', { params: plan(id), body })),
    },
  }
}

function clean<T extends Record<string, unknown>>(q: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = v
  return out as T
}

export type BookingApi = ReturnType<typeof createBookingApi>
