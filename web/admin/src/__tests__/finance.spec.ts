import { describe, expect, it } from 'vitest'
import { activeMenuPath, MENU, menuSections, permissionsFor } from '../menu'
import { parseYuan, paymentQuery, paymentState, refundActions, refundableFen } from '../finance/model'

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
