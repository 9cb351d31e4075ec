import { describe, expect, it } from 'vitest'
import { breakdownBars, canRedispatch, formatKm, formatScore, outcomeTag, WEIGHTS } from '../live/dispatch'
import { alertFromEvent, applyLocation, CITY_CENTER, etaText, fitSpanKm, gridLines, makeProjection, pushAlert, type LiveWorker } from '../live/projection'
import { liveEn, liveZh } from '../live/messages'
import { MENU } from '../menu'
import { boundsOf, tileOptions, workerMarkerHtml } from '../live/tiles'

describe('dispatch breakdown', () => {
  it('orders the factors and scales points by their weight', () => {
    const bars = breakdownBars({ favourite: 0.1, previous: 0, load: 0.15, distance: 0.24, rating: 0.18, acceptance: 0.075 })
    expect(bars.map((b) => b.key)).toEqual(['distance', 'rating', 'acceptance', 'load', 'previous', 'favourite'])
    expect(bars.map((b) => b.percent)).toEqual([80, 90, 50, 100, 0, 100])
    expect(bars[0].text).toBe('0.24')
    expect(bars[0].points).toBe(0.24)
  })
  it('clamps and keeps unknown factors', () => {
    const bars = breakdownBars({ distance: 0.9, bonus: 0.4, rating: Number.NaN })
    expect(bars.map((b) => [b.key, b.percent])).toEqual([['distance', 100], ['rating', 0], ['bonus', 40]])
    expect(bars[1].text).toBe('—')
    expect(breakdownBars(null)).toEqual([])
  })
  it('weights add up to 1 like the server', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1)
  })
  it('formats score and distance', () => {
    expect(formatScore(0.7234)).toBe('0.72')
    expect(formatScore(null)).toBe('—')
    expect(formatKm(3.26)).toBe('3.3 km')
    expect(formatKm(null)).toBe('—')
  })
  it('tags offer outcomes', () => {
    expect(outcomeTag(true, 'offered')).toEqual({ key: 'offered', type: 'primary' })
    expect(outcomeTag(true, null)?.key).toBe('offered')
    expect(outcomeTag(true, 'accepted')?.type).toBe('success')
    expect(outcomeTag(true, 'rejected')?.key).toBe('rejected')
    expect(outcomeTag(true, 'expired')?.key).toBe('expired')
    expect(outcomeTag(true, 'withdrawn')?.key).toBe('withdrawn')
    expect(outcomeTag(false, null)).toBeNull()
    for (const k of ['offered', 'accepted', 'rejected', 'expired', 'withdrawn'] as const) {
      expect(liveZh.dispatch.outcomes[k]).toBeTruthy()
      expect(liveEn.dispatch.outcomes[k]).toBeTruthy()
    }
    expect(Object.values(liveZh.dispatch.outcomes)).toEqual(['已推送', '已接单', '已拒绝', '已超时', '已撤回'])
    expect(Object.values(liveZh.dispatch.factors)).toEqual(['距离', '评分', '接单率', '负载', '老客', '收藏'])
  })
  it('offers assign / redispatch only while waiting for a worker', () => {
    expect(canRedispatch('paid')).toBe(true)
    expect(canRedispatch('dispatch_failed')).toBe(true)
    expect(canRedispatch('accepted')).toBe(false)
    expect(canRedispatch(undefined)).toBe(false)
  })
})

describe('map projection', () => {
  const p = makeProjection(800, 600, CITY_CENTER, 40)
  it('puts the centre in the middle, north up and east right', () => {
    expect(p.toXY(CITY_CENTER.lat, CITY_CENTER.lng)).toEqual({ x: 400, y: 300 })
    expect(p.toXY(CITY_CENTER.lat + 0.05, CITY_CENTER.lng).y).toBeLessThan(300)
    expect(p.toXY(CITY_CENTER.lat, CITY_CENTER.lng + 0.05).x).toBeGreaterThan(400)
  })
  it('is to scale: 40 km over the short side, ~1 km per 0.009° of latitude', () => {
    expect(p.scale).toBe(15)
    const north = p.toXY(CITY_CENTER.lat + 1 / 111.32, CITY_CENTER.lng)
    expect(300 - north.y).toBeCloseTo(15, 5)
    const east = p.toXY(CITY_CENTER.lat, CITY_CENTER.lng + 1 / (111.32 * Math.cos((CITY_CENTER.lat * Math.PI) / 180)))
    expect(east.x - 400).toBeCloseTo(15, 5)
  })
  it('round-trips', () => {
    const { x, y } = p.toXY(31.3, 121.6)
    const back = p.toLatLng(x, y)
    expect(back.lat).toBeCloseTo(31.3, 9)
    expect(back.lng).toBeCloseTo(121.6, 9)
  })
  it('fits the span to the points (at least 20 km)', () => {
    expect(fitSpanKm([])).toBe(20)
    expect(fitSpanKm([{ lat: CITY_CENTER.lat + 0.2, lng: CITY_CENTER.lng }])).toBe(Math.ceil(0.2 * 111.32 * 2 * 1.25))
  })
  it('draws grid lines through the centre', () => {
    const g = gridLines(p, 5)
    expect(g.xs).toContain(400)
    expect(g.ys).toContain(300)
    expect(g.xs.every((x) => x >= 0 && x <= 800)).toBe(true)
  })
})

describe('live updates', () => {
  const list: LiveWorker[] = [{ worker_id: 3, nickname: '刘阿姨', lat: 31.2, lng: 121.4, order_id: 9 }]
  it('moves a known worker on worker.location, asks for a reload for an unknown one', () => {
    const next = applyLocation(list, { worker_id: 3, lat: 31.25, lng: 121.45, order_id: 9 })!
    expect(next[0]).toMatchObject({ lat: 31.25, lng: 121.45, nickname: '刘阿姨' })
    expect(list[0].lat).toBe(31.2)
    expect(applyLocation(list, { worker_id: 4, lat: 31.25, lng: 121.45 })).toBeNull()
  })
  it('takes the road ETA and route of a report on the way, drops them on site', () => {
    const onWay = applyLocation(list, { worker_id: 3, lat: 31.25, lng: 121.45, eta_minutes: 19, eta_source: 'route', route: [[31.25, 121.45], [31.2, 121.44], 'x'] })!
    expect(onWay[0]).toMatchObject({ eta_minutes: 19, eta_source: 'route', route: [[31.25, 121.45], [31.2, 121.44]] })
    const t = (key: string, v: Record<string, unknown>) => `${key}:${v.n}`
    expect(etaText(onWay[0], t)).toBe('live.eta:19')
    expect(etaText({ eta_minutes: 24, eta_source: 'straight_line' }, t)).toBe('live.etaLine:24')
    const onSite = applyLocation(onWay, { worker_id: 3, lat: 31.2, lng: 121.44, eta_minutes: 0, eta_source: 'on_site', route: [] })!
    expect(onSite[0]).toMatchObject({ eta_minutes: null, eta_source: null })
    expect(etaText(onSite[0], t)).toBe('')
  })
  it('turns alert events into alerts without duplicates', () => {
    const e = { id: 5, type: 'alert.far_check_in', payload: { order_id: 9, distance_m: 812, explanation: '小区门口' }, created_at: '2026-12-01T02:00:00Z' }
    const a = alertFromEvent(e)!
    expect(a).toMatchObject({ type: 'far_check_in', orderId: 9, distanceM: 812 })
    expect(alertFromEvent({ type: 'order.accepted', payload: {} })).toBeNull()
    const once = pushAlert([], a)
    expect(pushAlert(once, { ...a, id: '6' })).toHaveLength(1)
    expect(alertFromEvent({ id: 7, type: 'alert.dispatch_failed', payload: { order_id: 10, number: 'AJ1' } })?.number).toBe('AJ1')
  })
  it('has the 实时监控 menu item under orders.read', () => {
    expect(MENU.find((m) => m.key === 'live')).toMatchObject({ path: '/live', permission: 'orders.read', group: 'ops' })
  })
})

describe('map tiles', () => {
  it('splits subdomains and keeps the attribution', () => {
    const cfg = { map_tiles_url: 'https://webrd0{s}.is.autonavi.com/{z}/{x}/{y}', map_tiles_subdomains: '1234', map_tiles_attribution: '© 高德地图', places: true }
    expect(tileOptions(cfg)).toEqual({ subdomains: ['1', '2', '3', '4'], attribution: '© 高德地图', maxZoom: 18 })
    expect(tileOptions({ ...cfg, map_tiles_subdomains: '' }).subdomains).toBe('abc')
  })
  it('bounds every finite point', () => {
    expect(boundsOf([])).toBeNull()
    expect(boundsOf([{ lat: 31.2, lng: 121.5 }, { lat: 31.1, lng: 121.6 }, { lat: Number.NaN, lng: 0 }])).toEqual([[31.1, 121.5], [31.2, 121.6]])
  })
  it('escapes the nickname in a marker', () => {
    const html = workerMarkerHtml({ worker_id: 7, nickname: '<b>王</b>', status: 'on_the_way', order_id: 3 }, true)
    expect(html).toContain('data-testid="live-worker"')
    expect(html).toContain('data-worker-id="7"')
    expect(html).toContain('is-selected')
    expect(html).not.toContain('<b>')
    expect(html).not.toContain('live-marker-eta')
    expect(workerMarkerHtml({ worker_id: 7, nickname: '王', status: 'on_the_way' }, false, '12 分钟')).toContain('<span class="live-worker__eta" data-testid="live-marker-eta">12 分钟</span>')
  })
})
