import { describe, expect, it } from 'vitest'
import { messages } from '@anjia/shared/src/i18n'
import { CATEGORIES } from '../src/lib/categories'
import { ORDER_TABS } from '../src/orders'
import { TAB_KEYS } from '../src/config'

const zh = messages['zh-CN'] as Record<string, string>
const en = messages.en as Record<string, string>

describe('customer home and orders', () => {
  it('shows the eight service categories in order', () => {
    expect(CATEGORIES.map((c) => zh[`cat.${c.key}`])).toEqual(['日常保洁', '深度保洁', '家电清洗', '家居保养', '保姆', '月嫂', '老人护理', '病人护理'])
    for (const c of CATEGORIES) expect(en[`cat.${c.key}`]).toBeTruthy()
  })
  it('has the seven order status tabs', () => {
    expect(ORDER_TABS.map((k) => zh[`orders.${k}`])).toEqual(['全部', '待支付', '待接单', '已接单', '服务中', '已完成', '已取消'])
    expect(zh['orders.empty']).toBe('暂无订单')
  })
  it('labels the tab bar', () => {
    expect(TAB_KEYS.map((k) => zh[k])).toEqual(['首页', '订单', '我的'])
  })
})
