/** Paying, receipts and the balance (customer token, over the shared typed client). */
import { ok } from '@anjia/shared/src/api/client'
import { useApi } from '@anjia/shared/src/uni/session'
import type { Channel, MethodName } from './types'

const order = (id: number) => ({ path: { order_id: id } })
export interface PayRequest {
  method: MethodName
  channel: Channel
  return_path: string
}

export const payApi = {
  orderMoney: (orderId: number) => ok(useApi().raw.GET('/api/v1/orders/{order_id}/payments', { params: order(orderId) })),
  /** One key per attempt: a retried request continues the same payment. */
  pay: (orderId: number, body: PayRequest, key: string) =>
    ok(useApi().raw.POST('/api/v1/orders/{order_id}/payments', { params: order(orderId), body, headers: { 'Idempotency-Key': key } })),
  payment: (number: string) => ok(useApi().raw.GET('/api/v1/payments/{number}', { params: { path: { number } } })),
  receipts: (page: number) => ok(useApi().raw.GET('/api/v1/me/payments', { params: { query: { page, page_size: 20 } } })),
  balance: (page = 1) => ok(useApi().raw.GET('/api/v1/me/balance', { params: { query: { page, page_size: 20 } } })),
  topUp: (amount: number, body: PayRequest, key: string) =>
    ok(useApi().raw.POST('/api/v1/me/balance/top-ups', { body: { amount, ...body }, headers: { 'Idempotency-Key': key } })),
}
