/** How a customer's coupon reads (its value, condition, scope, validity); the calls are in ./api. */
import type { components } from '@anjia/shared/src/api/schema'
import { formatDate, formatMoney } from '@anjia/shared/src/format'
import { locale, t } from '@anjia/shared/src/i18n'
import './i18n'

export type Coupon = components['schemas']['CouponOut']
export type CouponOption = components['schemas']['CouponOption']
export type CouponTab = 'available' | 'used' | 'expired'
export const COUPON_TABS: readonly CouponTab[] = ['available', 'used', 'expired']

/** "¥20" without empty cents ("¥12.50" keeps them). */
export function yuanShort(fen: number): string {
  return formatMoney(fen).replace(/\.00$/, '')
}

/** The big figure of a coupon: the amount off, or the discount as 折 (8.5折) / percent off in English. */
export function couponFigure(c: Pick<Coupon, 'kind' | 'value'>): { figure: string; unit: string } {
  if (c.kind === 'amount') return { figure: yuanShort(c.value).replace('¥', ''), unit: '¥' }
  if (locale.value === 'en') return { figure: String(c.value / 100), unit: '% off' }
  return { figure: String((10000 - c.value) / 1000), unit: '折' }
}

/** "满¥100可用 · 最高减¥30" / "无门槛". */
export function couponCondition(c: Pick<Coupon, 'min_spend' | 'cap'>): string {
  const parts = [c.min_spend ? t('coupon.minSpend', { amount: yuanShort(c.min_spend) }) : t('coupon.noMin')]
  if (c.cap) parts.push(t('coupon.cap', { amount: yuanShort(c.cap) }))
  return parts.join(' · ')
}

export function couponScope(c: Pick<Coupon, 'service_name'>): string {
  return c.service_name ? t('coupon.onlyFor', { name: c.service_name }) : t('coupon.anyService')
}

export function couponValidity(c: Pick<Coupon, 'status' | 'valid_until' | 'used_at'>): string {
  if (c.status === 'used' && c.used_at) return t('coupon.usedAt', { date: formatDate(c.used_at) })
  return t('coupon.validUntil', { date: formatDate(c.valid_until) })
}

/** The stamp on a coupon that can no longer be used ('' for an available one). */
export function couponStamp(c: Pick<Coupon, 'status'>): string {
  return c.status === 'available' ? '' : t('coupon.status.' + c.status)
}

/** What the booking page sends: the coupon it showed, or explicitly none. */
export function couponChoiceOf(applied: Coupon | null | undefined): { coupon_id: number } | { no_coupon: true } {
  return applied ? { coupon_id: applied.id } : { no_coupon: true }
}
