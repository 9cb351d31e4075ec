import { describe, expect, it } from 'vitest'
import { activeMenuPath, MENU, menuSections, permissionsFor } from '../menu'
import { parseYuan, paymentQuery, paymentState, refundActions, refundableFen } from '../finance/model'
import { bucketLabel, dispositionName, groupTotals, reportQuery, trendOption, xlsxUrl } from '../finance/reportModel'
import { emptyRuleForm, formToRule, ruleToForm, ruleValueText, statementActions, validReference } from '../finance/settlementModel'
import { beijingYesterday, differenceFen, differenceQuery, runQuery, runStatusTag } from '../finance/reconModel'

describe('¥ typed by finance → integer fen', () => {
  it('reads yuan with up to two decimals exactly', () => {
    expect(parseYuan('12.5')).toEqual({ fen: 1250 })
    expect(parseYuan('12.50')).toEqual({ fen: 1250 })
    expect(parseYuan('0.29')).toEqual({ fen: 29 })
    expect(parseYuan('19.99')).toEqual({ fen: 1999 })
    expect(parseYuan('0.01')).toEqual({ fen: 1 })
    expect(parseYuan(' ¥1,200.3 ')).toEqual({ fen: 120030 })
    expect(parseYuan('￥88')).toEqual({ fen: 8800 })
    expect(parseYuan('7.')).toEqual({ fen: 700 })
    expect(parseYuan(12.34)).toEqual({ fen: 1234 })
  })
  it('refuses what is not a positive amount of whole fen', () => {
    expect(parseYuan('')).toEqual({ error: 'required' })
    expect(parseYuan(null)).toEqual({ error: 'required' })
    expect(parseYuan('abc')).toEqual({ error: 'invalid' })
    expect(parseYuan('1e3')).toEqual({ error: 'invalid' })
    expect(parseYuan('.5')).toEqual({ error: 'invalid' })
    expect(parseYuan('1.005')).toEqual({ error: 'precision' })
    expect(parseYuan('0')).toEqual({ error: 'positive' })
    expect(parseYuan('0.00')).toEqual({ error: 'positive' })
    expect(parseYuan('-5')).toEqual({ error: 'positive' })
    expect(parseYuan('99999999999999999')).toEqual({ error: 'invalid' })
  })
  it('bounds the amount by what is refundable', () => {
    expect(parseYuan('100', 10000)).toEqual({ fen: 10000 })
    expect(parseYuan('100.01', 10000)).toEqual({ error: 'exceeds' })
    expect(refundableFen({ paid_amount: 25800, refunded_amount: 5000 })).toBe(20800)
    expect(refundableFen({ paid_amount: 100, refunded_amount: 300 })).toBe(0)
    expect(refundableFen(null)).toBe(0)
  })
})

describe('payment list filters', () => {
  it('leaves out empty choices and blank search', () => {
    expect(paymentQuery({ status: '', provider: '', q: '  ' }, 1, 20)).toEqual({ page: 1, page_size: 20 })
    expect(paymentQuery({ status: 'succeeded', provider: 'wechatpay', q: ' PAY123 ' }, 3, 50)).toEqual({
      page: 3, page_size: 50, status: 'succeeded', provider: 'wechatpay', q: 'PAY123',
    })
  })
})

describe('refund actions by status and permission', () => {
  const all = () => true
  const only = (...p: string[]) => (x: string) => p.includes(x)
  it('offers what the state and the permissions allow', () => {
    expect(refundActions({ status: 'awaiting_approval', provider: 'wechatpay' }, all)).toEqual(['approve', 'reject'])
    expect(refundActions({ status: 'awaiting_approval', provider: 'wechatpay' }, only('finance.write'))).toEqual([])
    expect(refundActions({ status: 'failed', provider: 'alipay' }, only('finance.write'))).toEqual(['retry'])
    expect(refundActions({ status: 'pending', provider: 'offline' }, all)).toEqual(['confirmOffline'])
    expect(refundActions({ status: 'pending', provider: 'sandbox' }, all)).toEqual([])
    expect(refundActions({ status: 'succeeded', provider: 'offline' }, all)).toEqual([])
    expect(refundActions({ status: 'pending', provider: null }, all)).toEqual([])
  })
})

describe('the QR code payment', () => {
  it('finds the state of the payment shown', () => {
    const money = { payments: [{ number: 'P1', status: 'failed' as const }, { number: 'P2', status: 'succeeded' as const }] }
    expect(paymentState(money as never, 'P2')).toBe('succeeded')
    expect(paymentState(money as never, 'P3')).toBeNull()
    expect(paymentState(null, 'P1')).toBeNull()
  })
})

describe('the 财务 menu', () => {
  const roles = [
    { code: 'finance', permissions: ['users.read', 'orders.read', 'catalog.read', 'payments.write', 'finance.read', 'finance.write', 'finance.approve'] },
    { code: 'support', permissions: ['users.read', 'orders.read'] },
  ]
  it('is a group of its own, shown to finance.read only', () => {
    const sections = menuSections(MENU, permissionsFor(['finance'], roles))
    expect(sections.map((s) => s.group ?? 'top')).toEqual(['top', 'ops', 'finance', 'system'])
    expect(sections[2].items.every((i) => i.permission === 'finance.read')).toBe(true)
    expect(menuSections(MENU, permissionsFor(['support'], roles)).some((s) => s.group === 'finance')).toBe(false)
  })
  it('highlights the item of nested paths', () => {
    expect(activeMenuPath('/finance/refunds')).toBe('/finance/refunds')
    expect(activeMenuPath('/orders')).toBe('/orders')
    expect(activeMenuPath('/nowhere/else')).toBe('/nowhere')
  })
})

describe('finance reports', () => {
  it('builds the query and the export link from the choices', () => {
    expect(reportQuery({ period: 'day', groupBy: '' })).toEqual({ period: 'day' })
    expect(reportQuery({ period: 'month', groupBy: 'provider', range: ['2026-01-01', '2026-06-30'] })).toEqual({
      period: 'month', group_by: 'provider', from: '2026-01-01', to: '2026-06-30',
    })
    expect(xlsxUrl({ period: 'day', groupBy: 'region', range: ['2026-05-01', '2026-05-31'] })).toBe(
      '/api/v1/admin/finance/reports.xlsx?period=day&group_by=region&from=2026-05-01&to=2026-05-31')
  })
  it('names the download after Content-Disposition', () => {
    const h = `attachment; filename="finance-report.xlsx"; filename*=UTF-8''${encodeURIComponent('财务报表_2026-05-01_2026-05-31.xlsx')}`
    expect(dispositionName(h, 'x.xlsx')).toBe('财务报表_2026-05-01_2026-05-31.xlsx')
    expect(dispositionName('attachment; filename="a.xlsx"', 'x.xlsx')).toBe('a.xlsx')
    expect(dispositionName(null, 'x.xlsx')).toBe('x.xlsx')
  })
  it('draws the chosen metrics in ¥ over the buckets', () => {
    const chart = {
      buckets: ['2026-05-01', '2026-06-01'],
      series: [
        { metric: 'collected' as const, label: '收款总额', data: [123456, 99] },
        { metric: 'refunds' as const, label: '退款', data: [500, 0] },
        { metric: 'revenue' as const, label: '平台收入（佣金）', data: [1, 2] },
      ],
    }
    const metrics = [
      { key: 'collected' as const, label: '收款总额', label_en: 'Payments collected' },
      { key: 'refunds' as const, label: '退款', label_en: 'Refunds' },
    ]
    const o = trendOption(chart, metrics, ['collected', 'refunds'], 'month', (m) => m.label_en)
    expect(o.xAxis.data).toEqual(['2026-05', '2026-06'])
    expect(o.series.map((s) => [s.name, s.data])).toEqual([['Payments collected', [1234.56, 0.99]], ['Refunds', [5, 0]]])
    expect(bucketLabel('2026-05-07', 'day')).toBe('2026-05-07')
  })
  it('sums a metric per group', () => {
    const row = (group: string | null, collected: number) => ({ bucket: '2026-05-01', group, group_label: group ? `G${group}` : null, revenue: 0, cancel_fees: 0, collected, refunds: 0, coupon_expense: 0, payables_accrued: 0, payables_paid: 0 })
    expect(groupTotals([row('1', 100), row('2', 50), row('1', 25), row(null, 7)], 'collected')).toEqual([
      { group: '1', label: 'G1', value: 125 }, { group: '2', label: 'G2', value: 50 }, { group: '', label: '', value: 7 },
    ])
  })
})

describe('reconciliation', () => {
  it('builds run and difference queries', () => {
    expect(runQuery({ provider: '', status: '' }, 1, 20)).toEqual({ page: 1, page_size: 20 })
    expect(runQuery({ provider: 'alipay', status: 'differences' }, 2, 10)).toEqual({ page: 2, page_size: 10, provider: 'alipay', status: 'differences' })
    expect(differenceQuery({ category: '', onlyOpen: false, q: ' ' }, 1, 20)).toEqual({ page: 1, page_size: 20 })
    expect(differenceQuery({ category: 'amount_differs', onlyOpen: true, q: ' P1 ' }, 1, 20)).toEqual({ page: 1, page_size: 20, category: 'amount_differs', resolved: false, q: 'P1' })
  })
  it('shows the difference and the latest closed day', () => {
    expect(differenceFen({ bill_amount: 1000, our_amount: 900 })).toBe(100)
    expect(differenceFen({ bill_amount: null, our_amount: 900 })).toBeNull()
    expect(beijingYesterday(new Date('2026-05-02T15:59:00Z'))).toBe('2026-05-01') // 23:59 in Beijing
    expect(beijingYesterday(new Date('2026-05-02T16:00:00Z'))).toBe('2026-05-02') // 00:00 on the 3rd
    expect(runStatusTag('balanced')).toBe('success')
    expect(runStatusTag('running')).toBe('info')
  })
})

describe('settlement', () => {
  it('offers approve on drafts and payout on approved statements, to finance.approve only', () => {
    const all = () => true
    expect(statementActions({ status: 'draft' }, all)).toEqual(['approve'])
    expect(statementActions({ status: 'approved' }, all)).toEqual(['pay'])
    expect(statementActions({ status: 'paid' }, all)).toEqual([])
    expect(statementActions({ status: 'draft' }, (p) => p === 'finance.write')).toEqual([])
    expect(validReference(' ICBC1 ')).toBe(true)
    expect(validReference('abc')).toBe(false)
    expect(validReference('x'.repeat(65))).toBe(false)
  })
  it('turns the rule form into basis points or fen', () => {
    const form = { ...emptyRuleForm(), name: ' 保洁 20% ', value: '20' }
    expect(formToRule(form)).toEqual({ body: { name: '保洁 20%', service_id: null, region_id: null, worker_level: null, kind: 'percent', value: 2000, valid_from: null } })
    expect(formToRule({ ...form, value: '12.5', service_id: 3, worker_level: 2 })).toMatchObject({ body: { value: 1250, service_id: 3, worker_level: 2 } })
    expect(formToRule({ ...form, value: '100.01' })).toEqual({ error: 'value' })
    expect(formToRule({ ...form, value: '0' })).toMatchObject({ body: { value: 0 } })
    expect(formToRule({ ...form, value: '1.234' })).toEqual({ error: 'value' })
    expect(formToRule({ ...form, name: ' ' })).toEqual({ error: 'name' })
    expect(formToRule({ ...form, kind: 'fixed', value: '15' })).toMatchObject({ body: { kind: 'fixed', value: 1500 } })
    expect(formToRule({ ...form, kind: 'fixed', value: '150' })).toMatchObject({ body: { value: 15000 } }) // no 100 % cap for fen
  })
  it('reads a rule back into the form and shows its value', () => {
    const rule = { id: 1, name: 'r', service_id: null, service_name: null, region_id: 2, region_name: '上海', worker_level: null, kind: 'percent' as const, value: 1250, valid_from: '2026-01-01T00:00:00Z', active: true }
    expect(ruleToForm(rule)).toMatchObject({ value: '12.5', region_id: 2, service_id: '', worker_level: '' })
    expect(ruleToForm({ ...rule, value: 2000 }).value).toBe('20')
    expect(ruleValueText(rule, ' / 单')).toBe('12.5%')
    expect(ruleValueText({ kind: 'fixed', value: 1500 }, ' / 单')).toBe('¥15.00 / 单')
  })
})
