import { describe, expect, it } from 'vitest'
import {
  eventOrderId,
  firstNavigationLink,
  formatCountdown,
  formatDistance,
  formatSlot,
  isCallable,
  isOrderEvent,
  offerCountdown,
  ordersOnDay,
  rejectPayload,
  secondsLeft,
  stageOf,
} from '../src/lib/offers'

describe('offer countdown', () => {
  const now = Date.parse('2026-11-03T06:00:00Z')
  it('formats mm:ss and h:mm:ss', () => {
    expect(formatCountdown(0)).toBe('00:00')
    expect(formatCountdown(75)).toBe('01:15')
    expect(formatCountdown(3725)).toBe('1:02:05')
    expect(formatCountdown(-5)).toBe('00:00')
  })
  it('counts whole seconds up, never below zero', () => {
    expect(secondsLeft('2026-11-03T06:01:00Z', now)).toBe(60)
    expect(secondsLeft('2026-11-03T06:00:00.200Z', now)).toBe(1)
    expect(secondsLeft('2026-11-03T05:59:00Z', now)).toBe(0)
    expect(secondsLeft('garbage', now)).toBe(0)
  })
  it('marks urgent and expired', () => {
    expect(offerCountdown('2026-11-03T14:00:30+08:00', now)).toEqual({ left: 30, text: '00:30', expired: false, urgent: true })
    expect(offerCountdown('2026-11-03T06:02:00Z', now).urgent).toBe(false)
    expect(offerCountdown('2026-11-03T06:00:00Z', now)).toMatchObject({ expired: true, urgent: false, text: '00:00' })
  })
})

describe('texts', () => {
  it('shows the slot in Asia/Shanghai', () => {
    const wd = (i: number) => ['日', '一', '二', '三', '四', '五', '六'][i]
    expect(formatSlot('2026-11-03T06:00:00Z', '2026-11-03T08:00:00Z', wd)).toBe('11-03 二 14:00-16:00')
    expect(formatSlot('2026-11-03T15:00:00Z', '2026-11-03T17:00:00Z', wd)).toBe('11-03 二 23:00 - 11-04 01:00')
  })
  it('formats distances', () => {
    expect(formatDistance(0.8)).toBe('800 m')
    expect(formatDistance(3.25)).toBe('3.3 km')
    expect(formatDistance(12.4)).toBe('12 km')
    expect(formatDistance(null)).toBe('')
  })
  it('calls only unmasked phones', () => {
    expect(isCallable('138****0001')).toBe(false)
    expect(isCallable('13800000001')).toBe(true)
    expect(isCallable('')).toBe(false)
  })
  it('picks the first navigation link', () => {
    expect(firstNavigationLink({ amap: 'a', tencent: 't' })).toBe('a')
    expect(firstNavigationLink({ tencent: 't', apple: 'x' })).toBe('t')
    expect(firstNavigationLink(null)).toBeNull()
  })
})

describe('reject payload', () => {
  it('needs a reason code', () => {
    expect(rejectPayload('', 'x')).toEqual({ error: 'reason.pick' })
  })
  it('sends the text only when given', () => {
    expect(rejectPayload('too_far', '  ')).toEqual({ body: { reason_code: 'too_far' } })
    expect(rejectPayload('busy', ' 下午有单 ')).toEqual({ body: { reason_code: 'busy', reason: '下午有单' } })
  })
  it('needs text for other, and at most 200 characters', () => {
    expect(rejectPayload('other', '')).toEqual({ error: 'reason.required' })
    expect(rejectPayload('other', '腰伤')).toEqual({ body: { reason_code: 'other', reason: '腰伤' } })
    expect(rejectPayload('price', 'x'.repeat(201))).toEqual({ error: 'reason.tooLong' })
  })
})

describe('stages and events', () => {
  it('maps statuses to the detail page actions', () => {
    expect(stageOf('paid')).toBe('offer')
    expect(stageOf('dispatch_failed')).toBe('offer')
    expect(stageOf('accepted')).toBe('accepted')
    expect(stageOf('on_the_way')).toBe('on_the_way')
    expect(stageOf('in_service')).toBe('in_service')
    expect(stageOf('pending_payment')).toBe('other')
  })
  it('reloads on offer and order events', () => {
    expect(isOrderEvent({ type: 'offer.created' })).toBe(true)
    expect(isOrderEvent({ type: 'offer.withdrawn' })).toBe(true)
    expect(isOrderEvent({ type: 'order.checked_in' })).toBe(true)
    expect(isOrderEvent({ type: 'worker.location' })).toBe(false)
    expect(isOrderEvent(null)).toBe(true)
    expect(eventOrderId({ type: 'offer.created', payload: { offer_id: 1, order_id: 42 } })).toBe(42)
    expect(eventOrderId({ type: 'x' })).toBeNull()
  })
  it('lists the orders of a Shanghai day by start', () => {
    const list = [
      { id: 1, start: '2026-11-03T08:00:00Z' },
      { id: 2, start: '2026-11-02T17:00:00Z' }, // 11-03 01:00 in Shanghai
      { id: 3, start: '2026-11-03T16:30:00Z' }, // 11-04 00:30
    ]
    expect(ordersOnDay(list, '2026-11-03').map((o) => o.id)).toEqual([2, 1])
    expect(ordersOnDay(list, '2026-11-04').map((o) => o.id)).toEqual([3])
  })
})

describe('server shapes', () => {
  it('has no actions for a declined offer, and builds the address line', async () => {
    const { stageOf, addressLine } = await import('../src/lib/offers')
    expect(stageOf('paid', 'offered')).toBe('offer')
    expect(stageOf('paid', 'rejected')).toBe('other')
    expect(addressLine({ city: '上海市', district: '徐汇区', detail: '漕溪北路1号', lat: 1, lng: 2 })).toBe('上海市徐汇区漕溪北路1号')
  })
})
