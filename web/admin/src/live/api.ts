import { idempotencyKey } from '@anjia/shared/src/api/client'
/** Typed calls of the dispatch section and the live monitor. */
import { api } from '../api/client'
import type { components } from '@anjia/shared/src/api/schema'

export type DispatchInfo = components['schemas']['DispatchOut']
export type DispatchRound = components['schemas']['RoundOut']
export type DispatchCandidate = components['schemas']['CandidateOut']

const idem = idempotencyKey

const path = (orderId: number) => ({ path: { order_id: orderId } })

export const liveApi = {
  dispatch: (orderId: number) => api.GET('/api/v1/admin/orders/{order_id}/dispatch', { params: path(orderId) }),
  assign: (orderId: number, workerId: number) =>
    api.POST('/api/v1/admin/orders/{order_id}/assign', { params: { ...path(orderId), header: idem() } as never, body: { worker_id: workerId } }),
  redispatch: (orderId: number) =>
    api.POST('/api/v1/admin/orders/{order_id}/redispatch', { params: { ...path(orderId), header: idem() } as never }),
  workers: (q?: string) => api.GET('/api/v1/admin/workers', { params: { query: { q: q || undefined, page: 1, page_size: 100 } } }),
  liveWorkers: () => api.GET('/api/v1/admin/live/workers'),
  ordersIn: (status: 'accepted' | 'on_the_way' | 'in_service') =>
    api.GET('/api/v1/admin/orders', { params: { query: { status, page: 1, page_size: 100 } } }),
}
