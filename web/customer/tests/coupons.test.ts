import { describe, expect, it } from 'vitest'
import { locale, messages } from '@anjia/shared/src/i18n'
import { couponChoiceOf, couponCondition, couponFigure, couponScope, couponStamp, couponValidity, yuanShort } from '../src/lib/coupons'

const base = { id: 1, kind: 'amount' as const, value: 2000, cap: null, min_spend: 0, service_name: null, status: 'available' as const,
  valid_until: '2026-12-31T15:59:59Z', used_at: null }

describe('how a coupon reads', () => {
  it('shows the amount off or the discount as 折', () => {
    locale.value = 'zh-CN'
    expect(couponFigure(base)).toEqual({ figure: '20', unit: '¥' })
    expect(couponFigure({ kind: 'amount', value: 1250 })).toEqual({ figure: '12.50', unit: '¥' })
    expect(couponFigure({ kind: 'percent', value: 1500 })).toEqual({ figure: '8.5', unit: '折' })
    expect(couponFigure({ kind: 'percent', value: 1000 })).toEqual({ figure: '9', unit: '折' })
    locale.value = 'en'
    expect(couponFigure({ kind: 'percent', value: 1500 })).toEqual({ figure: '15', unit: '% off' })
    locale.value = 'zh-CN'
  })
  it('says the condition, the scope and the validity', () => {
    expect(yuanShort(10000)).toBe('¥100')
    expect(couponCondition(base)).toBe('无门槛')
    expect(couponCondition({ min_spend: 10000, cap: 3000 })).toBe('满¥100可用 · 最高减¥30')
    expect(couponScope(base)).toBe('全部服务可用')
    expect(couponScope({ service_name: '空调清洗' })).toBe('仅限空调清洗')
    expect(couponValidity(base)).toBe('有效期至 2026-12-31') // 23:59:59 in Shanghai
    expect(couponValidity({ ...base, status: 'used', used_at: '2026-12-02T02:00:00Z' })).toBe('2026-12-02 已使用')
    expect(couponStamp(base)).toBe('')
    expect(couponStamp({ status: 'expired' })).toBe('已过期')
  })
  it('books with the coupon the page showed, or explicitly none', () => {
    expect(couponChoiceOf({ ...base, id: 7 } as never)).toEqual({ coupon_id: 7 })
    expect(couponChoiceOf(null)).toEqual({ no_coupon: true })
  })
  it('has every text in both languages', () => {
    const zh = Object.keys(messages['zh-CN']).filter((k) => k.startsWith('coupon.'))
    expect(zh.length).toBeGreaterThan(20)
    const en: Record<string, string> = messages.en
    for (const k of zh) expect(en[k], k).toBeTruthy()
  })
})
