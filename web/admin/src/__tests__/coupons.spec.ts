import { describe, expect, it } from 'vitest'
import { couponValueText, emptyIssueForm, formToIssue } from '../coupons/model'
import { couponsEn, couponsZh } from '../coupons/messages'

describe('issue form → body', () => {
  it('sends fen and basis points', () => {
    const f = { ...emptyIssueForm(), customer_id: 7, value: '20', min_spend: '100', title: ' 补偿券 ' }
    expect(formToIssue(f)).toEqual({ body: { customer_id: 7, kind: 'amount', value: 2000, cap: null, min_spend: 10000, valid_days: 30,
      service_id: null, source: 'manual', source_ref: null, title: '补偿券' } })
    const p = { ...f, kind: 'percent' as const, value: '15', cap: '30', source: 'compensation' as const, source_ref: 'T-1', service_id: 3 }
    expect(formToIssue(p)).toMatchObject({ body: { kind: 'percent', value: 1500, cap: 3000, service_id: 3, source: 'compensation', source_ref: 'T-1' } })
  })
  it('names the first field in the way', () => {
    const ok = { ...emptyIssueForm(), customer_id: 7, value: '20', title: '券' }
    expect(formToIssue({ ...ok, customer_id: '' })).toEqual({ error: 'customer_id' })
    expect(formToIssue({ ...ok, value: '0' })).toEqual({ error: 'value' })
    expect(formToIssue({ ...ok, kind: 'percent', value: '120' })).toEqual({ error: 'value' })
    expect(formToIssue({ ...ok, kind: 'percent', value: '10', cap: '-1' })).toEqual({ error: 'cap' })
    expect(formToIssue({ ...ok, min_spend: 'x' })).toEqual({ error: 'min_spend' })
    expect(formToIssue({ ...ok, title: '  ' })).toEqual({ error: 'title' })
    expect(formToIssue({ ...ok, cap: '30' })).toMatchObject({ body: { cap: null } }) // a cap only on a percent coupon
  })
  it('reads a coupon', () => {
    expect(couponValueText({ kind: 'amount', value: 2000, cap: null })).toBe('¥20.00')
    expect(couponValueText({ kind: 'percent', value: 1500, cap: 3000 })).toBe('15% (≤¥30.00)')
    expect(Object.keys(couponsEn.coupons)).toEqual(Object.keys(couponsZh.coupons))
  })
})
