/**
 * The logic of the finance screens, kept out of the .vue files so that it is unit-tested
 * (src/__tests__/finance.spec.ts): ¥ input → integer fen, list filters → query, which refund actions apply.
 */
import type { OrderMoney, Payment, PaymentQuery, Refund } from './types'

export type YuanError = 'required' | 'invalid' | 'positive' | 'precision' | 'exceeds'

/**
 * An amount typed in ¥ ("12.5", "12.50", "1,200") → integer fen, or why not. More than two decimals is an
 * error rather than a silent rounding: this is money going out. `maxFen` bounds it (what is refundable).
 */
export function parseYuan(input: string | number | null | undefined, maxFen?: number): { fen: number } | { error: YuanError } {
  const s = String(input ?? '').trim().replace(/[,，\s]/g, '').replace(/^[¥￥]/, '')
  if (!s) return { error: 'required' }
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(s)
  if (!m) return { error: 'invalid' }
  const [, sign, whole, frac = ''] = m
  if (frac.length > 2) return { error: 'precision' }
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'))
  if (!Number.isSafeInteger(fen)) return { error: 'invalid' }
  if (sign || fen === 0) return { error: 'positive' }
  if (maxFen !== undefined && fen > maxFen) return { error: 'exceeds' }
  return { fen }
}

/** What can still be refunded on an order: paid minus refunds already out or on their way. */
export function refundableFen(money: Pick<OrderMoney, 'paid_amount' | 'refunded_amount'> | null | undefined): number {
  if (!money) return 0
  return Math.max(0, money.paid_amount - money.refunded_amount)
}

export interface PaymentFilters {
  status: '' | NonNullable<PaymentQuery['status']>
  provider: '' | NonNullable<PaymentQuery['provider']>
  q: string
}

/** The list filters as the API's query: empty choices and blank text are left out. */
export function paymentQuery(f: PaymentFilters, page: number, pageSize: number): PaymentQuery {
  const q: PaymentQuery = { page, page_size: pageSize }
  if (f.status) q.status = f.status
  if (f.provider) q.provider = f.provider
  const text = f.q.trim()
  if (text) q.q = text
  return q
}

export type RefundAction = 'approve' | 'reject' | 'retry' | 'confirmOffline'

/**
 * What finance can do with a refund: approve / reject one that waits (finance.approve), retry a failed one,
 * confirm by hand that an offline payment's money went back (finance.write).
 */
export function refundActions(r: Pick<Refund, 'status' | 'provider'>, can: (permission: string) => boolean): RefundAction[] {
  const out: RefundAction[] = []
  if (r.status === 'awaiting_approval' && can('finance.approve')) out.push('approve', 'reject')
  if (r.status === 'failed' && can('finance.write')) out.push('retry')
  if (r.status === 'pending' && r.provider === 'offline' && can('finance.write')) out.push('confirmOffline')
  return out
}

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export const PAYMENT_STATUS_TAG: Record<Payment['status'], TagType> = {
  pending: 'warning',
  succeeded: 'success',
  failed: 'danger',
  closed: 'info',
}

export const REFUND_STATUS_TAG: Record<Refund['status'], TagType> = {
  awaiting_approval: 'warning',
  pending: 'primary',
  processing: 'primary',
  succeeded: 'success',
  failed: 'danger',
  rejected: 'info',
}

export const PAYMENT_STATUSES = Object.keys(PAYMENT_STATUS_TAG) as Payment['status'][]
export const REFUND_STATUSES = Object.keys(REFUND_STATUS_TAG) as Refund['status'][]
export const PROVIDERS = ['wechatpay', 'alipay', 'unionpay', 'balance', 'offline', 'sandbox'] as const

/** The state of a payment the console is waiting for (the phone order's QR code), found among the order's payments. */
export function paymentState(money: Pick<OrderMoney, 'payments'> | null | undefined, number: string): Payment['status'] | null {
  return money?.payments.find((p) => p.number === number)?.status ?? null
}
