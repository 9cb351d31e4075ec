import { describe, expect, it } from 'vitest'
import { MENU, menuSections, permissionsFor } from '../menu'
import { supportEn, supportZh } from '../support/messages'
import {
  analysisXlsxUrl,
  bucketsOption,
  durationText,
  emptyFilter,
  emptyResolveForm,
  formToResolve,
  percentText,
  slaClock,
  splitMinutes,
  ticketQuery,
  topBuckets,
  trendOption,
} from '../support/model'

const NOW = Date.parse('2026-12-02T10:00:00Z')
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString()
// the dictionary's unit words, as vue-i18n would fill them
const t = (k: string, p: Record<string, unknown> = {}) => {
  const msg = k.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)?.[part], supportZh) as string
  return msg.replace(/\{(\w+)\}/g, (_, name) => String(p[name]))
}

describe('how an SLA deadline reads', () => {
  it('counts minutes left down and minutes over up', () => {
    expect(slaClock(at(95.9), NOW)).toEqual({ state: 'ok', minutes: 95 })
    expect(slaClock(at(29.5), NOW)).toEqual({ state: 'soon', minutes: 29 })
    expect(slaClock(at(0.5), NOW)).toEqual({ state: 'soon', minutes: 0 })
    expect(slaClock(at(-0.2), NOW)).toEqual({ state: 'over', minutes: 1 })
    expect(slaClock(at(0), NOW)).toEqual({ state: 'over', minutes: 1 })
    expect(slaClock(at(-125), NOW)).toEqual({ state: 'over', minutes: 125 })
  })
  it('has nothing to count once resolved or when the date is unreadable', () => {
    expect(slaClock(null, NOW).state).toBe('none')
    expect(slaClock('not a date', NOW).state).toBe('none')
  })
  it('says the two largest units', () => {
    expect(splitMinutes(1565)).toEqual({ d: 1, h: 2, m: 5 })
    expect(durationText(1565, t)).toBe('1天2小时')
    expect(durationText(125, t)).toBe('2小时5分')
    expect(durationText(35, t)).toBe('35分')
    expect(durationText(0, t)).toBe('0分')
  })
})

describe('the ticket list', () => {
  it('sends only the filters that are set', () => {
    expect(ticketQuery(emptyFilter(), 1, 20)).toEqual({ page: 1, page_size: 20 })
    const f = { ...emptyFilter(), status: 'new' as const, overdue: true, assigneeId: 7, q: ' T2612 ' }
    expect(ticketQuery(f, 2, 50)).toEqual({ page: 2, page_size: 50, status: 'new', overdue: true, assignee_id: 7, q: 'T2612' })
  })
})

describe('resolving a ticket', () => {
  const form = (over: Partial<ReturnType<typeof emptyResolveForm>>) => ({ ...emptyResolveForm(), result: '已核实，安排返工', root_cause: 'worker_skill' as const, ...over })
  it('needs a result and a root cause', () => {
    expect(formToResolve({ ...form({}), result: ' 好 ' }, true)).toEqual({ error: 'result' })
    expect(formToResolve(form({ root_cause: '' }), true)).toEqual({ error: 'root_cause' })
    expect(formToResolve(form({}), true)).toEqual({ body: { result: '已核实，安排返工', root_cause: 'worker_skill', upheld: true, compensation: null } })
  })
  it('gives a coupon in fen with its validity and minimum spend', () => {
    const r = formToResolve(form({ compensation: 'coupon', amount: '30', valid_days: 14, min_spend: '99.9' }), false)
    expect(r).toEqual({ body: { result: '已核实，安排返工', root_cause: 'worker_skill', upheld: true, compensation: { kind: 'coupon', amount: 3000, valid_days: 14, min_spend: 9990 } } })
    expect(formToResolve(form({ compensation: 'coupon', amount: '0' }), false)).toEqual({ error: 'amount' })
    expect(formToResolve(form({ compensation: 'coupon', amount: 'abc' }), false)).toEqual({ error: 'amount' })
    expect(formToResolve(form({ compensation: 'coupon', amount: '10', min_spend: '-1' }), false)).toEqual({ error: 'min_spend' })
  })
  it('refunds only an upheld complaint with an order', () => {
    const r = formToResolve(form({ compensation: 'refund', amount: '12.34' }), true)
    expect('body' in r && r.body.compensation).toMatchObject({ kind: 'refund', amount: 1234 })
    expect(formToResolve(form({ compensation: 'refund', amount: '12' }), false)).toEqual({ error: 'compensation' })
    expect(formToResolve(form({ compensation: 'coupon', amount: '12', upheld: false }), true)).toEqual({ error: 'compensation' })
  })
})

describe('the analysis', () => {
  const b = (key: string, total: number) => ({ key, label: key, total, complaints: total, upheld: 1, compensation: 100 })
  it('keeps the biggest buckets and sums the rest', () => {
    const out = topBuckets([b('a', 1), b('b', 5), b('c', 3), b('d', 2)], 3, '其他')
    expect(out.map((x) => [x.label, x.total])).toEqual([['b', 5], ['c', 3], ['其他', 3]])
    expect(topBuckets([b('a', 1), b('b', 5)], 3, '其他').map((x) => x.key)).toEqual(['b', 'a'])
  })
  it('draws the biggest bar at the top and days as MM-DD', () => {
    const names = { total: '工单', complaints: '投诉', upheld: '成立' }
    const o = bucketsOption([b('big', 9), b('small', 1)], names)
    expect(o.yAxis.data).toEqual(['small', 'big'])
    expect(o.series.map((s) => s.name)).toEqual(['工单', '投诉', '成立'])
    const tr = trendOption([{ day: '2026-12-01', opened: 2, complaints: 1, suggestions: 1, follow_ups: 0, resolved: 1 }],
      { complaints: '投诉', suggestions: '建议', follow_ups: '回访', resolved: '处理完成' })
    expect(tr.xAxis.data).toEqual(['12-01'])
    expect(tr.series.map((s) => s.type)).toEqual(['bar', 'bar', 'bar', 'line'])
  })
  it('reads rates and the export address', () => {
    expect(percentText(0.625, 8)).toBe('62.5%')
    expect(percentText(0, 0)).toBe('—')
    expect(analysisXlsxUrl(undefined, '')).toBe('/api/v1/admin/support/analysis.xlsx')
    expect(analysisXlsxUrl(['2026-11-01', '2026-11-30'], 'complaint')).toBe('/api/v1/admin/support/analysis.xlsx?from=2026-11-01&to=2026-11-30&kind=complaint')
  })
})

describe('the console', () => {
  it('shows 工单 and 投诉分析 to support staff', () => {
    const perms = permissionsFor(['support'], [{ code: 'support', permissions: ['orders.read', 'support.read', 'support.write'] }])
    const ops = menuSections(MENU, perms).find((s) => s.group === 'ops')
    expect(ops?.items.map((i) => i.key)).toEqual(['orders', 'scheduleChanges', 'live', 'tickets', 'supportAnalysis'])
  })
  it('has every text in both languages', () => {
    const keys = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(keys(supportEn)).toEqual(keys(supportZh))
  })
})
