/** The issue form ↔ the request body, and how a coupon reads in the console. */
import { bpToPercent, formatFen, percentToBp, yuanToFen } from '../booking/money'
import type { AdminCoupon, CouponIssue } from './types'

export const COUPON_STATUSES = ['available', 'used', 'expired', 'revoked'] as const
export const COUPON_SOURCES = ['compensation', 'manual', 'signup', 'referral', 'campaign', 'code'] as const
export const STATUS_TAG: Record<AdminCoupon['status'], 'success' | 'info' | 'warning' | 'danger'> = {
  available: 'success',
  used: 'info',
  expired: 'warning',
  revoked: 'danger',
}

export interface IssueForm {
  customer_id: number | ''
  kind: 'amount' | 'percent'
  /** yuan for amount, % for percent */
  value: string
  /** yuan, percent only; '' = no cap */
  cap: string
  /** yuan; '' = none */
  min_spend: string
  valid_days: number
  service_id: number | ''
  source: 'manual' | 'compensation'
  source_ref: string
  title: string
}

export function emptyIssueForm(): IssueForm {
  return { customer_id: '', kind: 'amount', value: '', cap: '', min_spend: '', valid_days: 30, service_id: '', source: 'manual',
    source_ref: '', title: '' }
}

export type IssueField = 'customer_id' | 'value' | 'cap' | 'min_spend' | 'title'

/** The body, or the first field that keeps the form from being sent. */
export function formToIssue(f: IssueForm): { body: CouponIssue } | { error: IssueField } {
  if (f.customer_id === '') return { error: 'customer_id' }
  const value = f.kind === 'amount' ? yuanToFen(f.value) : percentToBp(f.value)
  if (value === null || value <= 0 || (f.kind === 'percent' && value > 10000)) return { error: 'value' }
  const cap = f.kind === 'percent' && f.cap.trim() !== '' ? yuanToFen(f.cap) : null
  if (f.kind === 'percent' && f.cap.trim() !== '' && (cap === null || cap <= 0)) return { error: 'cap' }
  const min = f.min_spend.trim() === '' ? 0 : yuanToFen(f.min_spend)
  if (min === null || min < 0) return { error: 'min_spend' }
  const title = f.title.trim()
  if (!title) return { error: 'title' }
  const body: CouponIssue = {
    customer_id: f.customer_id, kind: f.kind, value, cap, min_spend: min, valid_days: f.valid_days,
    service_id: f.service_id === '' ? null : f.service_id, source: f.source, source_ref: f.source_ref.trim() || null, title,
  }
  return { body }
}

/** "¥20" / "15% (≤¥30)". */
export function couponValueText(c: Pick<AdminCoupon, 'kind' | 'value' | 'cap'>): string {
  if (c.kind === 'amount') return formatFen(c.value)
  const pct = `${bpToPercent(c.value)}%`
  return c.cap ? `${pct} (≤${formatFen(c.cap)})` : pct
}
