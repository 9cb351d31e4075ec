import { describe, expect, it } from 'vitest'
import { messages } from '@anjia/shared/src/i18n'
import { weekStrip } from '../src/week'
import { TAB_KEYS } from '../src/config'

describe('worker schedule week strip', () => {
  it('lists Monday to Sunday and marks today', () => {
    const days = weekStrip(new Date('2026-11-25T02:00:00Z'), '2026-11-25')
    expect(days.map((d) => d.day)).toEqual([23, 24, 25, 26, 27, 28, 29])
    expect(days.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6, 0])
    expect(days.filter((d) => d.isToday).map((d) => d.date)).toEqual(['2026-11-25'])
  })
  it('labels the tab bar and empty states', () => {
    const zh = messages['zh-CN'] as Record<string, string>
    expect(TAB_KEYS.map((k) => zh[k])).toEqual(['接单', '日程', '我的'])
    expect(zh['jobs.empty']).toBe('暂无新订单')
    expect(zh['schedule.empty']).toBe('今日暂无安排')
  })
})
