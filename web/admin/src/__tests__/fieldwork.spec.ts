import { describe, expect, it } from 'vitest'
import { messages } from '../i18n'
import { MENU } from '../menu'
import { alertFromEvent, alertLevel } from '../live/projection'
import { CHANGE_STATUSES, STAGES, canDecide, changeStatusTagType, previewList, shiftMinutes, sortRecords, stageTagType } from '../fieldwork/model'

const rec = (id: number, stage: 'before' | 'during' | 'after', at: string, media: 'image' | 'video' | null = 'image') => ({
  id,
  stage,
  note: '',
  media_type: media,
  url: media ? `/api/v1/media/${id}?exp=1&sig=x` : null,
  thumb_url: null,
  created_at: at,
})

describe('service records', () => {
  it('labels the stages in Chinese and English', () => {
    expect(STAGES.map((s) => messages['zh-CN'].records.stage[s])).toEqual(['服务前', '服务中', '服务后'])
    expect(STAGES.map((s) => messages.en.records.stage[s])).toEqual(['Before', 'During', 'After'])
    expect(STAGES.map(stageTagType)).toEqual(['info', 'warning', 'success'])
  })
  it('sorts by stage then time and previews images only', () => {
    const list = [rec(1, 'after', '2026-12-01T03:00:00Z'), rec(2, 'before', '2026-12-01T02:00:00Z', 'video'), rec(3, 'before', '2026-12-01T01:00:00Z')]
    expect(sortRecords(list).map((r) => r.id)).toEqual([3, 2, 1])
    expect(previewList(sortRecords(list))).toEqual(['/api/v1/media/3?exp=1&sig=x', '/api/v1/media/1?exp=1&sig=x'])
  })
})

describe('schedule changes', () => {
  it('has a text for every status', () => {
    for (const s of CHANGE_STATUSES) {
      expect(messages['zh-CN'].changes.statuses[s]).toBeTruthy()
      expect(messages.en.changes.statuses[s]).toBeTruthy()
    }
    expect(messages['zh-CN'].changes.statuses.pending_operator).toBe('待审批')
    expect(changeStatusTagType('applied')).toBe('success')
    expect(changeStatusTagType('declined_by_customer')).toBe('danger')
    expect(changeStatusTagType('pending_customer')).toBe('warning')
  })
  it('lets writers decide pending_operator changes only', () => {
    expect(canDecide({ status: 'pending_operator' }, true)).toBe(true)
    expect(canDecide({ status: 'pending_operator' }, false)).toBe(false)
    expect(canDecide({ status: 'pending_customer' }, true)).toBe(false)
  })
  it('computes the shift', () => {
    expect(shiftMinutes({ from_start: '2026-12-01T02:00:00Z', to_start: '2026-12-01T04:30:00Z' })).toBe(150)
    expect(shiftMinutes({ from_start: '2026-12-01T02:00:00Z', to_start: '2026-12-01T01:00:00Z' })).toBe(-60)
  })
  it('has the 改期审批 menu item under 预约业务 with orders.read', () => {
    expect(MENU.find((m) => m.key === 'scheduleChanges')).toMatchObject({ path: '/schedule-changes', permission: 'orders.read', group: 'ops' })
    expect(messages['zh-CN'].menu.scheduleChanges).toBe('改期审批')
  })
})

describe('late / overrun alerts', () => {
  it('reads minutes from the payload', () => {
    const late = alertFromEvent({ id: 1, type: 'alert.late_start', payload: { order_id: 4, number: 'AJ4', minutes_late: 12 } })!
    expect(late).toMatchObject({ type: 'late_start', orderId: 4, number: 'AJ4', minutes: 12 })
    const over = alertFromEvent({ id: 2, type: 'alert.overrun', payload: { order_id: 5, minutes_over: 30.4 } })!
    expect(over).toMatchObject({ type: 'overrun', minutes: 30 })
    expect(alertFromEvent({ type: 'alert.unknown', payload: {} })).toBeNull()
    expect(alertLevel('overrun')).toBe('error')
    expect(alertLevel('late_start')).toBe('warning')
    expect(messages['zh-CN'].live.alert.late_start.replace('{n}', '12')).toContain('师傅迟到 12 分钟')
    expect(messages['zh-CN'].live.alert.overrun.replace('{n}', '30')).toContain('服务超时 30 分钟')
  })
})
