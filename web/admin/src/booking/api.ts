import { idempotencyKey } from '@anjia/shared/src/api/client'
import { api } from '../api/client'
import type {
  BookingRulesInput,
  CategoryInput,
  Holiday,
  LeaveInput,
  OrderQuery,
  RegionInput,
  RegionPrice,
  ServiceInput,
  ServicePatch,
  WeeklyRange,
  WorkerPatch,
} from './types'

/** The common shape of openapi-fetch results (views treat every call alike). */
export interface Result<T> {
  data?: T
  error?: unknown
  response?: Response
}

const idem = idempotencyKey

/** 204 answers come back from openapi-fetch with data undefined: turn success into `data: true`. */
async function ok(p: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Result<true>> {
  const r = await p
  return r.response.ok ? { data: true, response: r.response } : { error: r.error, response: r.response }
}

const id = <K extends string>(key: K, value: number) => ({ path: { [key]: value } as Record<K, number> })

export const bookingApi = {
  // orders (orders.read / orders.write)
  listOrders: (q: OrderQuery) => api.GET('/api/v1/admin/orders', { params: { query: q } }),
  getOrder: (orderId: number) => api.GET('/api/v1/admin/orders/{order_id}', { params: id('order_id', orderId) }),
  recordOffline: (orderId: number, method: 'cash' | 'transfer', reference?: string) =>
    api.POST('/api/v1/admin/orders/{order_id}/payments/offline', {
      params: { ...id('order_id', orderId), header: idem() } as never, body: { method, reference: reference || null },
    }),

  // catalog (catalog.read / catalog.write)
  catalog: () => api.GET('/api/v1/admin/catalog'),
  getService: (serviceId: number) => api.GET('/api/v1/admin/services/{service_id}', { params: id('service_id', serviceId) }),
  createCategory: (body: Pick<CategoryInput, 'name'> & Partial<CategoryInput>) =>
    api.POST('/api/v1/admin/categories', { body: body as CategoryInput, params: { header: idem() } as never }),
  updateCategory: (categoryId: number, body: Partial<CategoryInput>) =>
    api.PATCH('/api/v1/admin/categories/{category_id}', { params: id('category_id', categoryId), body }),
  createService: (body: ServiceInput) => api.POST('/api/v1/admin/services', { body, params: { header: idem() } as never }),
  updateService: (serviceId: number, body: ServicePatch) =>
    api.PATCH('/api/v1/admin/services/{service_id}', { params: id('service_id', serviceId), body }),
  reorderServices: (ids: number[]) => ok(api.POST('/api/v1/admin/services/reorder', { body: { ids } })),
  regionPrices: (serviceId: number) => api.GET('/api/v1/admin/services/{service_id}/region-prices', { params: id('service_id', serviceId) }),
  setRegionPrices: (serviceId: number, prices: RegionPrice[]) =>
    ok(api.PUT('/api/v1/admin/services/{service_id}/region-prices', { params: id('service_id', serviceId), body: { prices } })),

  // regions (rules.read / regions.write)
  regions: () => api.GET('/api/v1/admin/regions'),
  createRegion: (body: RegionInput) => api.POST('/api/v1/admin/regions', { body, params: { header: idem() } as never }),
  updateRegion: (regionId: number, body: Partial<RegionInput>) =>
    api.PATCH('/api/v1/admin/regions/{region_id}', {
      params: id('region_id', regionId),
      body: { opens: body.opens ?? null, closes: body.closes ?? null, ...body },
    }),

  // booking rules (rules.read / rules.write)
  rules: () => api.GET('/api/v1/admin/booking-rules'),
  saveRules: (body: BookingRulesInput) => api.PUT('/api/v1/admin/booking-rules', { body }),
  holidays: () => api.GET('/api/v1/admin/holidays'),
  addHoliday: (body: Holiday) => api.POST('/api/v1/admin/holidays', { body, params: { header: idem() } as never }),
  deleteHoliday: (h: Holiday) => ok(api.DELETE('/api/v1/admin/holidays/{day}', { params: { path: { day: h.day } } })),

  // workers (workers.read / workers.write)
  listWorkers: (q: { q?: string; page?: number; page_size?: number }) => api.GET('/api/v1/admin/workers', { params: { query: q } }),
  updateWorker: (workerId: number, body: WorkerPatch) =>
    api.PATCH('/api/v1/admin/workers/{worker_id}', { params: id('worker_id', workerId), body }),
  availability: (workerId: number) => api.GET('/api/v1/admin/workers/{worker_id}/availability', { params: id('worker_id', workerId) }),
  setWeekly: (workerId: number, weekly: WeeklyRange[]) =>
    api.PUT('/api/v1/admin/workers/{worker_id}/weekly', { params: id('worker_id', workerId), body: { weekly } }),
  addLeave: (workerId: number, body: Pick<LeaveInput, 'start' | 'end'> & Partial<LeaveInput>) =>
    api.POST('/api/v1/admin/workers/{worker_id}/leaves', {
      params: { ...id('worker_id', workerId), header: idem() } as never,
      body: body as LeaveInput,
    }),
}


