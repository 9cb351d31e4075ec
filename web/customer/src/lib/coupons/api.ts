/** The customer's coupons by tab (customer token, over the shared typed client). */
import { ok } from '@anjia/shared/src/api/client'
import { useApi } from '@anjia/shared/src/uni/session'
import type { CouponTab } from '.'
import './i18n'

export const couponApi = {
  list: (status: CouponTab, page: number, page_size = 20) =>
    ok(useApi().raw.GET('/api/v1/me/coupons', { params: { query: { status, page, page_size } } })),
}
