import '../src/lib/reviews/i18n'
import { describe, expect, it, vi } from 'vitest'
import '../src/lib/progress' // its texts (live.*) are merged on import
import '../src/lib/fieldwork' // its texts (records.*, change.*, inbox.*) are merged on import
import '../src/lib/pay/i18n' // its texts (pay.*, refund.*, balance.*, topup.*) are merged on import
import '../src/lib/coupons/i18n' // its texts (coupon.*, me.coupons) are merged on import
import '../src/lib/support/i18n' // its texts (support.*, me.feedback) are merged on import
import { messages } from '@anjia/shared/src/i18n'
import {
  availabilityParams,
  buildOrderBody,
  buildQuoteRequest,
  initialForm,
  orderWork,
  prefillOf,
  requirementRows,
  validateForm,
} from '../src/lib/booking/form'
import { dayStrip, firstFreeDate, freeCounts, groupSlots } from '../src/lib/booking/slots'
import { buildPlanBody, buildPlanPatch, defaultPlanForm, planFormOf, rruleWeekdays, validatePlanForm } from '../src/lib/booking/plans'
import { addDays, formatCountdown, nextWeekday, shanghaiIso, shanghaiTime, todayShanghai } from '../src/lib/booking/dates'
import { DEFAULT_CENTER, pixelOf, pointAt } from '../src/lib/booking/geo'
import { formatPrice, ORDER_TAB_PARAM, uuid4 } from '../src/lib/booking/orders'
import { alternativesOf } from '../src/lib/booking/api'
import { bookingMessages, installBookingMessages } from '../src/lib/booking/i18n'
import { ApiProblem } from '@anjia/shared/src/api/problem'
import { formatMoney } from '@anjia/shared/src/format'
import type { Service } from '../src/lib/booking/types'
import { ORDER_TABS } from '../src/orders'

/** Test data names only what the rules read (the generated types also require every server default). */
type Partly<T> = {
  [K in keyof T]?: T[K] extends (infer U)[] | null | undefined ? Partly<U>[] | null : T[K] extends object | null | undefined ? Partly<NonNullable<T[K]>> : T[K]
}
const service = (s: Partly<Service>) => s as Service

const kitchen = service({
  id: 5,
  category_id: 2,
  name: '厨房深度清洁',
  pricing_kind: 'fixed',
  items: [{ code: 'kitchen_deep', name: '厨房深度清洁', unit_price: 26800, duration_minutes: 180 }],
  options: [
    {
      code: 'focus_areas',
      type: 'multi',
      label: '重点区域',
      choices: [
        { code: 'stove', label: '灶台' },
        { code: 'hood', label: '抽油烟机', surcharge: 8000 },
        { code: 'cabinets', label: '橱柜' },
      ],
    },
    { code: 'depth', type: 'single', label: '清洁深度', required: true, default: 'normal', choices: [{ code: 'normal', label: '普通' }, { code: 'deep', label: '深度', surcharge_bp: 3000 }] },
    { code: 'eco', type: 'bool', label: '环保清洁剂', surcharge: 2000 },
    { code: 'rooms', type: 'number', label: '房间数', min: 1, max: 6, unit: '间' },
    { code: 'notes', type: 'text', label: '备注', max_length: 200 },
  ],
})

const hourly = service({
  id: 1,
  category_id: 1,
  name: '全屋清洁',
  pricing_kind: 'hourly',
  items: [{ code: 'hour', name: '小时', unit_price: 5000 }],
  min_hours: 2,
  max_hours: 8,
  options: [],
})

const pkg = service({
  id: 12,
  category_id: 5,
  name: '住家保姆',
  pricing_kind: 'package',
  items: [{ code: 'day', name: '天', unit_price: 25000 }],
  min_days: 7,
  max_days: 90,
  daily_hours: 10,
  options: [],
})

describe('requirement form → quote request', () => {
  it('starts from the defaults', () => {
    const f = initialForm(kitchen, undefined, '2026-11-25')
    expect(f.options).toEqual({ focus_areas: [], depth: 'normal', eco: false, rooms: 1, notes: '' })
    expect(f.quantities).toEqual({ kitchen_deep: 1 })
  })

  it('builds the e2e kitchen request (灶台 + 抽油烟机, 深度)', () => {
    const f = initialForm(kitchen, undefined, '2026-11-25')
    f.options.focus_areas = ['stove', 'hood']
    f.options.depth = 'deep'
    f.options.notes = '  '
    expect(buildQuoteRequest(kitchen, f)).toEqual({
      service_id: 5,
      items: [{ code: 'kitchen_deep', quantity: 1 }],
      options: { focus_areas: ['stove', 'hood'], depth: 'deep', eco: false, rooms: 1 },
    })
    const start = shanghaiIso('2026-12-01', '14:00')
    expect(buildQuoteRequest(kitchen, f, { start, address_id: 3 })).toMatchObject({ start: '2026-12-01T14:00:00+08:00', address_id: 3 })
    f.notes = ' 有猫 '
    expect(buildOrderBody(kitchen, f, 3, start)).toEqual({
      service_id: 5,
      address_id: 3,
      start,
      items: [{ code: 'kitchen_deep', quantity: 1 }],
      options: { focus_areas: ['stove', 'hood'], depth: 'deep', eco: false, rooms: 1 },
      notes: '有猫',
    })
  })

  it('leaves out items with quantity 0 and asks for one', () => {
    const f = initialForm(kitchen, undefined, '2026-11-25')
    f.quantities.kitchen_deep = 0
    expect(buildQuoteRequest(kitchen, f).items).toEqual([])
    expect(validateForm(kitchen, f)).toEqual({ key: 'booking.err.items' })
  })

  it('requires required options', () => {
    const f = initialForm(kitchen, undefined, '2026-11-25')
    f.options.depth = undefined
    expect(validateForm(kitchen, f)).toEqual({ key: 'booking.err.required', option: '清洁深度' })
  })

  it('sends hours for hourly and dates for packages', () => {
    const h = initialForm(hourly, undefined, '2026-11-25')
    expect(h.hours).toBe(2)
    h.hours = 3
    expect(buildQuoteRequest(hourly, h)).toEqual({ service_id: 1, items: [], hours: 3, options: {} })
    h.hours = 9
    expect(validateForm(hourly, h)).toEqual({ key: 'booking.err.hours', min: 2, max: 8 })

    const p = initialForm(pkg, undefined, '2026-11-25')
    expect([p.start_date, p.end_date, p.daily_hours]).toEqual(['2026-11-26', '2026-12-02', 10])
    expect(buildQuoteRequest(pkg, p)).toEqual({
      service_id: 12,
      items: [],
      start_date: '2026-11-26',
      end_date: '2026-12-02',
      daily_hours: 10,
      options: {},
    })
    p.end_date = '2026-11-28'
    expect(validateForm(pkg, p)).toEqual({ key: 'booking.err.days', min: 7, max: 90 })
  })

  it('prefills from an order (request) or a rebook body', () => {
    const work = orderWork({ request: { items: [{ code: 'kitchen_deep', quantity: 2 }], options: { depth: 'deep', focus_areas: ['hood'] } } })
    const f = initialForm(kitchen, prefillOf(work), '2026-11-25')
    expect(f.quantities.kitchen_deep).toBe(2)
    expect(f.options.depth).toBe('deep')
    expect(f.options.focus_areas).toEqual(['hood'])
    expect(f.options.eco).toBe(false)
  })

  it('passes length-setting parameters to availability', () => {
    const f = initialForm(kitchen, undefined, '2026-11-25')
    f.options.focus_areas = ['hood']
    const q = availabilityParams(kitchen, f)
    expect(q.items).toBe('kitchen_deep:1')
    expect(JSON.parse(q.options!)).toMatchObject({ focus_areas: ['hood'], depth: 'normal' })
    expect(availabilityParams(hourly, initialForm(hourly, undefined, '2026-11-25'))).toEqual({ hours: 2 })
  })

  it('summarises requirements in both languages', () => {
    const rows = requirementRows(kitchen.options, { focus_areas: ['stove', 'hood'], depth: 'deep', eco: true, rooms: 3 })
    expect(rows).toEqual([
      { label: '重点区域', value: '灶台、抽油烟机' },
      { label: '清洁深度', value: '深度' },
      { label: '环保清洁剂', value: '是' },
      { label: '房间数', value: '3间' },
    ])
  })
})

describe('slots', () => {
  const day = (h: number, m = 0) => `2026-12-01T${String(h - 8).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`
  it('groups by part of day in Shanghai time, in order', () => {
    const slots = [
      { start: day(14), end: day(17), available: true },
      { start: day(9, 30), end: day(12), available: false },
      { start: day(18), end: day(20), available: true },
      { start: day(8), end: day(11), available: true },
    ]
    const g = groupSlots(slots)
    expect(g.map((x) => x.part)).toEqual(['morning', 'afternoon', 'evening'])
    expect(g[0].slots.map((s) => s.time)).toEqual(['08:00', '09:30'])
    expect(g[0].slots[1].available).toBe(false)
    expect(g[1].slots[0].range).toBe('14:00-17:00')
  })
  it('counts free slots and finds the first free day', () => {
    const av = {
      timezone: 'Asia/Shanghai',
      duration_minutes: 180,
      asap: null,
      days: [
        { date: '2026-11-30', slots: [{ start: day(9), end: day(12), available: false }] },
        { date: '2026-12-01', slots: [{ start: day(14), end: day(17), available: true }] },
      ],
    }
    expect(freeCounts(av)).toEqual({ '2026-11-30': 0, '2026-12-01': 1 })
    expect(firstFreeDate(av)).toBe('2026-12-01')
  })
  it('builds a 14-day strip from today in Shanghai', () => {
    const strip = dayStrip(14, new Date('2026-11-25T17:00:00Z')) // 01:00 on the 26th in Shanghai
    expect(strip).toHaveLength(14)
    expect(strip[0]).toMatchObject({ date: '2026-11-26', weekday: 4, md: '11/26', offset: 0 })
    expect(strip[13].date).toBe('2026-12-09')
  })
  it('handles dates and times', () => {
    expect(todayShanghai(new Date('2026-11-25T16:30:00Z'))).toBe('2026-11-26')
    expect(nextWeekday('2026-11-25', 2)).toBe('2026-12-01')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(shanghaiTime('2026-12-01T06:00:00Z')).toBe('14:00')
    expect(formatCountdown(899)).toBe('14:59')
    expect(formatCountdown(3723)).toBe('1:02:03')
  })
})

describe('plans: frequency → request body', () => {
  const work = { service_id: 5, address_id: 3, items: [{ code: 'kitchen_deep', quantity: 1 }], options: { depth: 'deep' } }
  it('weekly on Tuesday at 14:00', () => {
    const f = defaultPlanForm('2026-12-01', '14:00')
    expect(f.weekdays).toEqual(['TU'])
    expect(buildPlanBody(work, f)).toEqual({ ...work, frequency: 'weekly', weekdays: ['TU'], start_date: '2026-12-01', time: '14:00' })
  })
  it('biweekly keeps one weekday, twice a month follows the start date', () => {
    const f = { ...defaultPlanForm('2026-12-01', '09:00'), frequency: 'biweekly' as const, weekdays: ['FR' as const, 'MO' as const] }
    expect(buildPlanBody(work, f)).toMatchObject({ frequency: 'biweekly', weekdays: ['MO'] })
    const tm = buildPlanBody(work, { ...f, frequency: 'twice_monthly', weekdays: [] })
    expect(tm.frequency).toBe('twice_monthly')
    expect(tm.weekdays).toBeUndefined()
    expect(validatePlanForm({ ...f, frequency: 'twice_monthly', weekdays: [] }, '2026-11-25')).toBeNull()
  })
  it('custom weekdays become an RRULE, with an end date', () => {
    const f = { frequency: 'custom' as const, weekdays: ['FR' as const, 'MO' as const, 'WE' as const], time: '10:00', start_date: '2026-12-01', end_date: '2027-03-01' }
    expect(buildPlanBody({ ...work, hours: 3, notes: '钥匙在门口' }, f)).toEqual({
      ...work,
      hours: 3,
      notes: '钥匙在门口',
      frequency: 'custom',
      weekdays: ['MO', 'WE', 'FR'],
      rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
      start_date: '2026-12-01',
      time: '10:00',
      end_date: '2027-03-01',
    })
  })
  it('validates and patches from a date', () => {
    const f = defaultPlanForm('2026-12-01', '14:00')
    expect(validatePlanForm({ ...f, weekdays: [] }, '2026-11-25')).toBe('plan.err.weekdays')
    expect(validatePlanForm({ ...f, start_date: '2026-11-01' }, '2026-11-25')).toBe('plan.err.start')
    expect(validatePlanForm({ ...f, end_date: '2026-11-30' }, '2026-11-25')).toBe('plan.err.end')
    expect(buildPlanPatch({ ...f, time: '15:00' }, '2026-12-08')).toEqual({ from_date: '2026-12-08', time: '15:00', frequency: 'weekly', weekdays: ['TU'] })
  })
  it('reads weekdays back from a rule', () => {
    expect(rruleWeekdays('FREQ=MONTHLY;BYDAY=1TU,3TU')).toEqual(['TU'])
    expect(planFormOf({ frequency: 'weekly', rrule: 'FREQ=WEEKLY;BYDAY=TU', time: '14:00:00', start_date: '2026-12-01' })).toEqual({
      frequency: 'weekly',
      weekdays: ['TU'],
      time: '14:00',
      start_date: '2026-12-01',
      end_date: '',
    })
  })
})

describe('orders, money, map and texts', () => {
  it('maps every status tab to the API', () => {
    for (const tab of ORDER_TABS) expect(tab in ORDER_TAB_PARAM).toBe(true)
    expect(ORDER_TAB_PARAM.pending_payment).toBe('unpaid')
    expect(ORDER_TAB_PARAM.all).toBeUndefined()
  })
  it('formats prices without empty cents', () => {
    expect(formatPrice(26800, formatMoney)).toBe('¥268')
    expect(formatPrice(42840, formatMoney)).toBe('¥428.40')
  })
  it('makes UUIDs and reads alternatives off a 409', () => {
    expect(uuid4()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const p = Object.assign(new ApiProblem({ code: 'slot_unavailable', status: 409 }), {
      body: { alternatives: [{ start: '2026-12-01T07:00:00Z', end: '2026-12-01T10:00:00Z' }] },
    })
    expect(alternativesOf(p)).toHaveLength(1)
    expect(alternativesOf(new Error('x'))).toEqual([])
  })
  it('turns a map tap into a point and back', () => {
    expect(pointAt(DEFAULT_CENTER, 13, 340, 240, 170, 120)).toEqual({ lat: 31.2304, lng: 121.4737 })
    const p = pointAt(DEFAULT_CENTER, 13, 340, 240, 300, 20)
    const px = pixelOf(DEFAULT_CENTER, 13, 340, 240, p)
    expect(Math.round(px.x)).toBe(300)
    expect(Math.round(px.y)).toBe(20)
    expect(p.lat).toBeGreaterThan(DEFAULT_CENTER.lat)
  })
  it('has every booking text in both languages', () => {
    installBookingMessages()
    for (const k of Object.keys(bookingMessages['zh-CN'])) {
      expect((messages['zh-CN'] as Record<string, string>)[k]).toBeTruthy()
      expect((messages.en as Record<string, string>)[k]).toBeTruthy()
    }
  })
})

describe('every literal t() key used by the customer app exists', () => {
  it('zh-CN and en', () => {
    installBookingMessages()
    const sources = import.meta.glob('../src/**/*.{vue,ts}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>
    expect(Object.keys(sources).length).toBeGreaterThan(10)
    const missing: string[] = []
    for (const [f, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'[,)]/g)) {
        const k = m[1]
        if (k.endsWith('.')) continue
        if (!(messages['zh-CN'] as Record<string, string>)[k] || !(messages.en as Record<string, string>)[k]) missing.push(`${f}: ${k}`)
      }
    }
    expect(missing).toEqual([])
  })
})

describe('places', () => {
  it('fills the address form from a place', async () => {
    const { fieldsFromPlace } = await import('../src/lib/booking/places')
    const got = fieldsFromPlace({ title: '徐家汇公园', address: '上海市徐汇区肇嘉浜路889号', lat: 31.1965, lng: 121.4435, province: '上海市', city: '上海市', district: '徐汇区' })
    expect(got).toEqual({ point: { lat: 31.1965, lng: 121.4435 }, province: '上海市', city: '上海市', district: '徐汇区', detail: '肇嘉浜路889号 徐家汇公园' })
    const bare = fieldsFromPlace({ title: '', address: '', lat: 31.2, lng: 121.4, province: '', city: '', district: '' })
    expect(bare).toEqual({ point: { lat: 31.2, lng: 121.4 } })
  })
  it('debounces typing', async () => {
    const { debounce } = await import('../src/lib/booking/places')
    vi.useFakeTimers()
    const seen: string[] = []
    const d = debounce((s: string) => seen.push(s), 300)
    d('徐')
    d('徐汇')
    vi.advanceTimersByTime(299)
    expect(seen).toEqual([])
    vi.advanceTimersByTime(1)
    expect(seen).toEqual(['徐汇'])
    d('x')
    d.cancel()
    vi.advanceTimersByTime(500)
    expect(seen).toEqual(['徐汇'])
    vi.useRealTimers()
  })
})

describe('tracking', () => {
  it('takes the worker and the route of this order only', async () => {
    const { trackFromEvent } = await import('../src/lib/progress')
    const p = { order_id: 5, lat: 31.25, lng: 121.45, route: [[31.25, 121.45], [31.2, 121.44], ['x', 1], [1]] }
    expect(trackFromEvent(5, p)).toEqual({ at: { lat: 31.25, lng: 121.45 }, route: [[31.25, 121.45], [31.2, 121.44]] })
    expect(trackFromEvent(6, p)).toBeNull()
    expect(trackFromEvent(5, { order_id: 5, lat: 'a', lng: 1 })).toBeNull()
    expect(trackFromEvent(5, { order_id: 5, lat: 31, lng: 121 })).toEqual({ at: { lat: 31, lng: 121 }, route: [] })
  })
})
