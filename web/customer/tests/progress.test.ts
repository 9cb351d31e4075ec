import { describe, expect, it } from 'vitest'
import { messages } from '@anjia/shared/src/i18n'
import {
  PROGRESS_STEPS,
  differenceText,
  etaFromEvent,
  finalPrice,
  isOrderEvent,
  orderProgress,
} from '../src/lib/progress'

const zh = messages['zh-CN'] as Record<string, string>
const en = messages.en as Record<string, string>
const tl = (...types: string[]) => types.map((type, i) => ({ type, label: type, at: `2026-12-01T0${i}:00:00Z` }))
const states = (p: ReturnType<typeof orderProgress>) => p.items.map((i) => i.state[0]).join('')

describe('order progress', () => {
  it('has the six steps in Chinese and English', () => {
    expect(PROGRESS_STEPS.map((k) => zh[`live.step.${k}`])).toEqual(['已下单', '已支付', '师傅已接单', '师傅已出发', '服务中', '已完成'])
    for (const k of PROGRESS_STEPS) expect(en[`live.step.${k}`]).toBeTruthy()
  })
  it('maps each status to its step', () => {
    expect(orderProgress('pending_payment', tl('created')).current).toBe(0)
    expect(orderProgress('paid', tl('created', 'paid')).current).toBe(1)
    expect(orderProgress('dispatch_failed', tl('created', 'paid', 'dispatch_failed')).current).toBe(1)
    expect(orderProgress('accepted').current).toBe(2)
    expect(orderProgress('on_the_way').current).toBe(3)
    expect(orderProgress('in_service').current).toBe(4)
    expect(orderProgress('completed').current).toBe(5)
  })
  it('marks done / current / todo', () => {
    expect(states(orderProgress('on_the_way', tl('created', 'paid', 'accepted', 'departed')))).toBe('dddctt')
    expect(states(orderProgress('completed'))).toBe('dddddd')
    expect(states(orderProgress('pending_payment'))).toBe('cttttt')
  })
  it('takes the times from the timeline', () => {
    const p = orderProgress('accepted', tl('created', 'paid', 'accepted'))
    expect(p.items[2].at).toBe('2026-12-01T02:00:00Z')
    expect(p.items[3].at).toBeUndefined()
  })
  it('keeps the reached steps of a cancelled order', () => {
    const p = orderProgress('cancelled', tl('created', 'paid', 'cancelled'))
    expect(p.cancelled).toBe(true)
    expect(p.current).toBe(1)
    expect(states(p)).toBe('ddtttt')
  })
})

describe('live events', () => {
  it('reloads on order.* for this order only', () => {
    expect(isOrderEvent(7, { type: 'order.accepted', payload: { order_id: 7 } })).toBe(true)
    expect(isOrderEvent(7, { type: 'order.accepted', payload: { order_id: 8 } })).toBe(false)
    expect(isOrderEvent(7, { type: 'worker.location', payload: { order_id: 7 } })).toBe(false)
    expect(isOrderEvent(7, null)).toBe(false)
  })
  it('reads the ETA of worker.location', () => {
    expect(etaFromEvent(7, { order_id: 7, eta_minutes: 12 })).toBe(12)
    expect(etaFromEvent(7, { order_id: 7, eta_minutes: 0 })).toBe(1)
    expect(etaFromEvent(7, { order_id: 9, eta_minutes: 12 })).toBeNull()
    expect(etaFromEvent(7, { order_id: 7 })).toBeNull()
  })
})

describe('final price', () => {
  const money = (f: number) => `¥${(f / 100).toFixed(2)}`
  it('is unknown before check-out', () => {
    expect(finalPrice({ status: 'in_service', total: 10000, price_difference: 0, timeline: tl('created') })).toBeNull()
  })
  it('comes from the checked_out entry', () => {
    const timeline = [{ type: 'checked_out', label: '', at: '2026-12-01T05:00:00Z', data: { final_total: 15000 } }]
    expect(finalPrice({ status: 'completed', total: 10000, price_difference: 5000, timeline })).toEqual({ final: 15000, booked: 10000, difference: 5000 })
  })
  it('falls back to total + difference', () => {
    expect(finalPrice({ status: 'completed', total: 10000, price_difference: -2000, timeline: [] })?.final).toBe(8000)
  })
  it('words the difference', () => {
    const pay = differenceText(5000, money)!
    expect(zh[pay.key].replace('{x}', pay.params.x)).toBe('需补差价 ¥50.00')
    const back = differenceText(-2000, money)!
    expect(zh[back.key].replace('{x}', back.params.x)).toBe('将退还 ¥20.00')
    expect(differenceText(0, money)).toBeNull()
  })
})
