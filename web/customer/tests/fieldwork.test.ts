import { describe, expect, it } from 'vitest'
import { messages } from '@anjia/shared/src/i18n'
import { installBookingMessages } from '../src/lib/booking/i18n'
import {
  CHANGE_STATUSES,
  STAGES,
  changeHistory,
  changeStatusKey,
  imageUrls,
  isNotificationEvent,
  markedRead,
  mediaUrl,
  notificationOrderId,
  pendingForCustomer,
  shanghaiWhen,
  sortRecords,
  stageKey,
  unreadBadge,
} from '../src/lib/fieldwork'

installBookingMessages()
const zh = messages['zh-CN'] as Record<string, string>
const en = messages.en as Record<string, string>
const tz = (k: string, p?: Record<string, string | number>) =>
  (zh[k] ?? k).replace(/\{(\w+)\}/g, (_, n) => String(p?.[n] ?? ''))

const rec = (id: number, stage: 'before' | 'during' | 'after', at: string, media: 'image' | 'video' | null = 'image') => ({
  id,
  stage,
  note: '',
  media_type: media,
  url: media ? `/api/v1/media/${id}?exp=1&sig=x` : null,
  thumb_url: null,
  created_at: at,
})
const change = (id: number, status: string, at: string) => ({
  id,
  order_id: 1,
  worker_id: 2,
  from_start: '2026-12-01T06:00:00Z',
  to_start: '2026-12-02T02:00:00Z',
  reason: '',
  status,
  created_at: at,
})

describe('service records', () => {
  it('labels the stages 服务前 / 服务中 / 服务后', () => {
    expect(STAGES.map((s) => zh[stageKey(s)])).toEqual(['服务前', '服务中', '服务后'])
    expect(STAGES.map((s) => en[stageKey(s)])).toEqual(['Before', 'During', 'After'])
    expect(zh[stageKey('weird')]).toBe('记录')
  })
  it('sorts by stage then time', () => {
    const list = [rec(1, 'after', '2026-12-01T03:00:00Z'), rec(2, 'before', '2026-12-01T02:00:00Z'), rec(3, 'before', '2026-12-01T01:00:00Z')]
    expect(sortRecords(list).map((r) => r.id)).toEqual([3, 2, 1])
  })
  it('prefixes the API origin on relative media links (mp-weixin) and previews images only', () => {
    expect(mediaUrl('/api/v1/media/1?exp=1&sig=x', '')).toBe('/api/v1/media/1?exp=1&sig=x')
    expect(mediaUrl('/api/v1/media/1', 'https://api.example.com')).toBe('https://api.example.com/api/v1/media/1')
    expect(mediaUrl('https://cdn/x.jpg', 'https://api')).toBe('https://cdn/x.jpg')
    expect(mediaUrl(null, 'x')).toBe('')
    expect(imageUrls([rec(1, 'before', 'a'), rec(2, 'during', 'b', 'video'), rec(3, 'after', 'c', null)], 'B')).toEqual(['B/api/v1/media/1?exp=1&sig=x'])
  })
})

describe('schedule changes', () => {
  it('has a text for every status', () => {
    for (const s of CHANGE_STATUSES) {
      expect(zh[changeStatusKey(s)]).toBeTruthy()
      expect(en[changeStatusKey(s)]).toBeTruthy()
    }
    expect(zh[changeStatusKey('applied')]).toBe('已改期')
    expect(zh[changeStatusKey('declined_by_customer')]).toBe('您已拒绝')
    expect(zh[changeStatusKey('nope')]).toBe('已处理')
    expect(zh['change.title']).toBe('师傅申请改期')
    expect(zh['change.consent']).toBe('同意改期')
    expect(zh['change.decline']).toBe('不同意')
  })
  it('picks the pending_customer change and keeps the rest as history', () => {
    const list = [change(1, 'applied', '2026-11-20T00:00:00Z'), change(2, 'pending_customer', '2026-11-21T00:00:00Z'), change(3, 'declined_by_operator', '2026-11-22T00:00:00Z')]
    expect(pendingForCustomer(list)?.id).toBe(2)
    expect(changeHistory(list).map((c) => c.id)).toEqual([3, 1])
    expect(pendingForCustomer([change(1, 'applied', 'x')])).toBeNull()
  })
  it('shows times in Asia/Shanghai', () => {
    expect(shanghaiWhen('2026-12-01T06:00:00Z', tz)).toBe('2026-12-01 周二 14:00')
    expect(shanghaiWhen('2026-12-01T17:30:00Z', tz)).toBe('2026-12-02 周三 01:30')
  })
})

describe('notifications', () => {
  it('formats the unread badge', () => {
    expect(unreadBadge(0)).toBe('')
    expect(unreadBadge(undefined)).toBe('')
    expect(unreadBadge(-2)).toBe('')
    expect(unreadBadge(7)).toBe('7')
    expect(unreadBadge(99)).toBe('99')
    expect(unreadBadge(100)).toBe('99+')
  })
  it('finds the order and marks one read', () => {
    expect(notificationOrderId({ data: { order_id: 12 } })).toBe(12)
    expect(notificationOrderId({ data: {} })).toBeNull()
    const list = [
      { id: 1, read_at: null },
      { id: 2, read_at: '2026-11-01T00:00:00Z' },
    ]
    const r = markedRead(list, 1, 3, 'now')
    expect(r.unread).toBe(2)
    expect(r.list[0].read_at).toBe('now')
    expect(list[0].read_at).toBeNull()
    expect(markedRead(list, 2, 3).unread).toBe(3)
    expect(isNotificationEvent({ type: 'notification.created' })).toBe(true)
    expect(isNotificationEvent({ type: 'order.accepted' })).toBe(false)
    expect(zh['inbox.readAll']).toBe('全部已读')
  })
})
