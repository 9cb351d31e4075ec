import { idempotencyKey } from '@anjia/shared/src/api/client'
import { api } from '../api/client'
import type { CouponIssue, CouponQuery } from './types'

/** Customers' coupons in the console (coupons.read / coupons.write; customer search needs users.read). */
export const couponsApi = {
  list: (q: CouponQuery) => api.GET('/api/v1/admin/coupons', { params: { query: q } }),
  issue: (body: CouponIssue) => api.POST('/api/v1/admin/coupons', { body, params: { header: idempotencyKey() } as never }),
  revoke: (id: number, reason: string) =>
    api.POST('/api/v1/admin/coupons/{coupon_id}/revoke', { params: { path: { coupon_id: id } }, body: { reason } }),
  customers: (q: string) => api.GET('/api/v1/admin/users', { params: { query: { kind: 'customer', q, page: 1, page_size: 20 } } }),
}
