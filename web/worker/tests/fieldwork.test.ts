import { describe, expect, it } from 'vitest'
import {
  defaultStage,
  formatWhen,
  hasRecords,
  isNotificationEvent,
  isPastChoice,
  mediaUrl,
  notificationOrderId,
  percent,
  recordFields,
  rescheduleDays,
  reschedulePayload,
  rescheduleTimes,
  scheduleChanges,
  stageKey,
  unreadBadge,
  uploadResult,
} from '../src/lib/fieldwork'
import { ApiProblem } from '@anjia/shared/src/api/problem'

describe('service records', () => {
  it('maps stages to 服务前/服务中/服务后 keys and picks a default by status', () => {
    expect(stageKey('before')).toBe('rec.stage.before')
    expect(stageKey('during')).toBe('rec.stage.during')
    expect(stageKey('after')).toBe('rec.stage.after')
    expect(stageKey('weird')).toBe('rec.stage.other')
    expect(defaultStage('on_the_way')).toBe('before')
    expect(defaultStage('in_service')).toBe('during')
    expect(defaultStage('completed')).toBe('after')
  })
  it('shows records on on_the_way / in_service / completed only', () => {
    expect(['accepted', 'on_the_way', 'in_service', 'completed', 'cancelled'].map(hasRecords)).toEqual([
      false, true, true, true, false,
    ])
  })
  it('builds the multipart fields (stage, trimmed note); a note alone is fine', () => {
    expect(recordFields({ stage: 'during', note: '  擦窗 ', filePath: null })).toEqual({ fields: { stage: 'during', note: '擦窗' } })
    expect(recordFields({ stage: 'before', note: '', filePath: 'blob:x' })).toEqual({ fields: { stage: 'before', note: '' } })
  })
  it('refuses an empty record, a long note or an unknown stage', () => {
    expect(recordFields({ stage: 'before', note: '  ', filePath: null }).error).toBe('rec.nothing')
    expect(recordFields({ stage: 'before', note: 'x'.repeat(501), filePath: null }).error).toBe('rec.tooLong')
    expect(recordFields({ stage: 'x' as never, note: 'a', filePath: null }).error).toBe('rec.pickStage')
  })
  it('prefixes relative signed media URLs with the API base', () => {
    const rel = '/api/v1/media/orders/1/a.jpg?exp=1&sig=abc'
    expect(mediaUrl('', rel)).toBe(rel)
    expect(mediaUrl('https://api.example.com/', rel)).toBe('https://api.example.com' + rel)
    expect(mediaUrl('https://api.example.com', 'blob:http://x/1')).toBe('blob:http://x/1')
    expect(mediaUrl('https://api.example.com', null)).toBe('')
  })
  it('reads uploadFile answers: record on 201, problem detail on 413/415/422', () => {
    expect(uploadResult(201, '{"id":3,"stage":"before"}').record).toEqual({ id: 3, stage: 'before' })
    const p415 = uploadResult(415, JSON.stringify({ code: 'unsupported_media', status: 415, detail: '文件格式不支持' })).problem
    expect(p415).toBeInstanceOf(ApiProblem)
    expect(p415?.detail).toBe('文件格式不支持')
    expect(uploadResult(413, { code: 'upload_too_large', status: 413, detail: '文件太大' }).problem?.status).toBe(413)
    const p422 = uploadResult(422, '{"detail":[{"loc":["body","stage"],"msg":"bad stage"}]}').problem
    expect(p422?.errors[0]).toEqual({ field: 'stage', message: 'bad stage' })
    expect(uploadResult(502, '<html>').problem?.status).toBe(502)
  })
  it('normalises progress', () => {
    expect(percent(42)).toBe(42)
    expect(percent(0.5)).toBe(50)
    expect(percent(150)).toBe(100)
    expect(percent(NaN)).toBe(0)
  })
})

describe('reschedule', () => {
  // 2026-11-03 21:10 in Shanghai
  const now = Date.parse('2026-11-03T13:10:00Z')
  it('offers the next 7 days (Shanghai) and 30-minute steps 08:00–20:00', () => {
    const days = rescheduleDays(now)
    expect(days).toHaveLength(7)
    expect(days[0]).toEqual({ date: '2026-11-03', label: '11-03', weekday: 1 })
    expect(days[6].date).toBe('2026-11-09')
    const times = rescheduleTimes()
    expect(times[0]).toBe('08:00')
    expect(times[1]).toBe('08:30')
    expect(times[times.length - 1]).toBe('20:00')
    expect(times).toHaveLength(25)
  })
  it('marks past choices', () => {
    expect(isPastChoice('2026-11-03', '20:00', now)).toBe(true)
    expect(isPastChoice('2026-11-04', '08:00', now)).toBe(false)
  })
  it('builds {order_id, new_start (+08:00), reason}', () => {
    expect(reschedulePayload(7, '2026-11-05', '14:30', ' 前一单延误 ', { now })).toEqual({
      body: { order_id: 7, new_start: '2026-11-05T14:30:00+08:00', reason: '前一单延误' },
    })
  })
  it('validates the choice and the reason', () => {
    expect(reschedulePayload(7, '', '14:30', 'r', { now }).error).toBe('rs.pickDate')
    expect(reschedulePayload(7, '2026-11-05', '', 'r', { now }).error).toBe('rs.pickTime')
    expect(reschedulePayload(7, '2026-11-05', '14:30', '  ', { now }).error).toBe('rs.reasonRequired')
    expect(reschedulePayload(7, '2026-11-05', '14:30', 'x'.repeat(201), { now }).error).toBe('rs.reasonTooLong')
    expect(reschedulePayload(7, '2026-11-03', '09:00', 'r', { now }).error).toBe('rs.past')
    expect(
      reschedulePayload(7, '2026-11-05', '14:30', 'r', { now, currentStart: '2026-11-05T06:30:00Z' }).error,
    ).toBe('rs.same')
  })
  it('folds the timeline into one entry per change, newest first', () => {
    const tl = [
      { type: 'accepted', at: '2026-11-01T00:00:00Z', data: {} },
      { type: 'schedule_change_requested', at: '2026-11-01T01:00:00Z', data: { change_id: 1, to: '2026-11-05T06:00:00+00:00', reason: 'a' } },
      { type: 'schedule_change_declined', at: '2026-11-01T02:00:00Z', data: { change_id: 1 } },
      { type: 'schedule_change_requested', at: '2026-11-01T03:00:00Z', data: { change_id: 2, to: '2026-11-06T06:00:00+00:00', reason: 'b' } },
      { type: 'schedule_change_approved', at: '2026-11-01T04:00:00Z', data: { change_id: 2 } },
    ]
    const c = scheduleChanges(tl)
    expect(c.map((x) => [x.changeId, x.state, x.pending, x.reason])).toEqual([
      [2, 'pending_customer', true, 'b'],
      [1, 'declined', false, 'a'],
    ])
    expect(c[0].to).toBe('2026-11-06T06:00:00+00:00')
    tl.push({ type: 'rescheduled', at: '2026-11-01T05:00:00Z', data: { change_id: 2, to: '2026-11-06T06:00:00+00:00' } as never })
    expect(scheduleChanges(tl)[0].state).toBe('applied')
    expect(scheduleChanges(null)).toEqual([])
  })
  it('formats a time in Shanghai with the weekday', () => {
    expect(formatWhen('2026-11-05T06:30:00Z', (wd) => ['一', '二', '三', '四', '五', '六', '日'][wd])).toBe('11-05 四 14:30')
  })
})

describe('notifications', () => {
  it('badge text', () => {
    expect(unreadBadge(0)).toBe('')
    expect(unreadBadge(null)).toBe('')
    expect(unreadBadge(-2)).toBe('')
    expect(unreadBadge(1)).toBe('1')
    expect(unreadBadge(99)).toBe('99')
    expect(unreadBadge(100)).toBe('99+')
  })
  it('events and links', () => {
    expect(isNotificationEvent({ type: 'notification.created' })).toBe(true)
    expect(isNotificationEvent({ type: 'order.accepted' })).toBe(false)
    expect(isNotificationEvent(null)).toBe(false)
    expect(notificationOrderId({ order_id: 12 })).toBe(12)
    expect(notificationOrderId({ order_id: '12' })).toBe(12)
    expect(notificationOrderId({})).toBe(null)
  })
})
