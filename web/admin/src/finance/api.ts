import { idempotencyKey } from '@anjia/shared/src/api/client'
import { api } from '../api/client'
import type { OfflineMethod, PaymentQuery, RefundStatus } from './types'

const order = (orderId: number) => ({ path: { order_id: orderId } })
const refund = (refundId: number) => ({ path: { refund_id: refundId } })

/** Payments and refunds (finance.read / finance.write / finance.approve / payments.write). */
export const paymentsApi = {
  payments: (q: PaymentQuery) => api.GET('/api/v1/admin/payments', { params: { query: q } }),
  issues: () => api.GET('/api/v1/admin/payments/issues'),
  orderMoney: (orderId: number) => api.GET('/api/v1/admin/orders/{order_id}/payments', { params: order(orderId) }),
  /** `key`: one Idempotency-Key per dialog, so a double submit is replayed, not paid twice. */
  recordOffline: (orderId: number, method: OfflineMethod, reference: string | null, key = idempotencyKey()) =>
    api.POST('/api/v1/admin/orders/{order_id}/payments/offline', {
      params: { ...order(orderId), header: key } as never,
      body: { method, reference },
    }),
  qr: (orderId: number, key = idempotencyKey()) =>
    api.POST('/api/v1/admin/orders/{order_id}/payments/qr', { params: { ...order(orderId), header: key } as never }),
  refunds: (q: { status?: RefundStatus; page?: number; page_size?: number }) => api.GET('/api/v1/admin/refunds', { params: { query: q } }),
  requestRefund: (orderId: number, amount: number, reason: string, key = idempotencyKey()) =>
    api.POST('/api/v1/admin/orders/{order_id}/refunds', {
      params: { ...order(orderId), header: key } as never,
      body: { amount, reason },
    }),
  approve: (refundId: number) => api.POST('/api/v1/admin/refunds/{refund_id}/approve', { params: refund(refundId) }),
  reject: (refundId: number) => api.POST('/api/v1/admin/refunds/{refund_id}/reject', { params: refund(refundId) }),
  retry: (refundId: number) => api.POST('/api/v1/admin/refunds/{refund_id}/retry', { params: refund(refundId) }),
  confirmOffline: (refundId: number) => api.POST('/api/v1/admin/refunds/{refund_id}/confirm-offline', { params: refund(refundId) }),
}
