import { describe, expect, it } from 'vitest'
import { MENU, permissionsFor, visibleMenu } from '../menu'
import { bpText, emptyCampaignForm, formToCampaign, redemptionBp, signedBp, signedFen } from '../customers/model'
import { customersEn, customersZh } from '../customers/messages'

const form = (over: Partial<ReturnType<typeof emptyCampaignForm>> = {}) => ({
  ...emptyCampaignForm('active'), name: '回流关怀', value: '30', min_spend: '100', coupon_title: '满100减30', ...over,
})

describe('campaign form → body', () => {
  it('turns yuan and percent into fen and basis points', () => {
    expect(formToCampaign(form())).toEqual({
      body: { name: '回流关怀', segment: 'active', kind: 'amount', value: 3000, cap: null, min_spend: 10000, valid_days: 14,
        service_id: null, coupon_title: '满100减30', control_percent: 10 },
    })
    const pct = formToCampaign(form({ kind: 'percent', value: '15', cap: '50', service_id: 7, control_percent: 0 }))
    expect('body' in pct && [pct.body.value, pct.body.cap, pct.body.service_id, pct.body.control_percent]).toEqual([1500, 5000, 7, 0])
  })
  it('names the first field that keeps it from being sent', () => {
    expect(formToCampaign(form({ name: ' ' }))).toEqual({ error: 'name' })
    expect(formToCampaign(form({ segment: '' }))).toEqual({ error: 'segment' })
    expect(formToCampaign(form({ value: '0' }))).toEqual({ error: 'value' })
    expect(formToCampaign(form({ kind: 'percent', value: '101' }))).toEqual({ error: 'value' })
    expect(formToCampaign(form({ kind: 'percent', value: '10', cap: '-1' }))).toEqual({ error: 'cap' })
    expect(formToCampaign(form({ min_spend: 'abc' }))).toEqual({ error: 'min_spend' })
    expect(formToCampaign(form({ coupon_title: '' }))).toEqual({ error: 'coupon_title' })
    expect(formToCampaign(form({ control_percent: 60 }))).toEqual({ error: 'control_percent' })
  })
})

describe('report figures', () => {
  it('shows rates and signed lifts', () => {
    expect(bpText(1234)).toBe('12.3%')
    expect(bpText(null)).toBe('—')
    expect(redemptionBp({ issued: 8, redeemed: 2 })).toBe(2500)
    expect(redemptionBp({ issued: 0, redeemed: 0 })).toBe(0)
    expect(signedBp(150)).toBe('+1.5%')
    expect(signedBp(-30)).toBe('−0.3%')
    expect(signedBp(null)).toBe('—')
    expect(signedFen(1200)).toBe('+¥12.00')
    expect(signedFen(-50)).toBe('−¥0.50')
  })
})

describe('menu', () => {
  it('客户 and 营销活动 follow their permissions', () => {
    const roles = [{ code: 'marketing', permissions: ['customers.read', 'campaigns.read', 'campaigns.write'] }, { code: 'support', permissions: ['customers.read'] }]
    const keys = (r: string[]) => visibleMenu(MENU, permissionsFor(r, roles)).map((m) => m.key)
    expect(keys(['marketing'])).toEqual(['dashboard', 'customers', 'campaigns'])
    expect(keys(['support'])).toEqual(['dashboard', 'customers'])
  })
})

describe('messages', () => {
  it('has every key in both languages', () => {
    const keys = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(keys(customersEn)).toEqual(keys(customersZh))
  })
})
