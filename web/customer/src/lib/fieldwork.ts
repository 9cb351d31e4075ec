/**
 * Service records, schedule changes and the notification inbox (pure logic, tested in tests/fieldwork.test.ts).
 * Texts are merged into the shared dictionaries on import.
 */
import { addMessages, messagesFromRows } from '@anjia/shared/src/i18n'
import { shanghaiDate, shanghaiTime, weekdayOf } from './booking/dates'
import type { components } from '@anjia/shared/src/api/schema'

export type ServiceRecord = components['schemas']['RecordOut']
export type ScheduleChange = components['schemas']['ScheduleChangeOut']
import type { AppNotification } from '@anjia/shared/src/api/notifications'
export type { AppNotification, NotificationPage } from '@anjia/shared/src/api/notifications'

export const STAGES = ['before', 'during', 'after'] as const
export type Stage = (typeof STAGES)[number]

/** i18n key of a record's stage tag (服务前 / 服务中 / 服务后). */
export function stageKey(stage: string): string {
  return (STAGES as readonly string[]).includes(stage) ? `records.stage.${stage}` : 'records.stage.other'
}

/** Records in stage order, oldest first within a stage. */
export function sortRecords<T extends Pick<ServiceRecord, 'stage' | 'created_at'>>(list: readonly T[]): T[] {
  const rank = (s: string) => {
    const i = (STAGES as readonly string[]).indexOf(s)
    return i < 0 ? STAGES.length : i
  }
  return [...list].sort((a, b) => rank(a.stage) - rank(b.stage) || Date.parse(a.created_at) - Date.parse(b.created_at))
}

/** Signed media links are relative (`/api/v1/media/...`): prefix the API origin where there is no same origin (mp-weixin). */
export function mediaUrl(url: string | null | undefined, base: string): string {
  if (!url) return ''
  return url.startsWith('/') ? base + url : url
}

/** Full-size image urls of the records (for uni.previewImage), in display order. */
export function imageUrls(list: readonly Pick<ServiceRecord, 'media_type' | 'url'>[], base: string): string[] {
  return list.filter((r) => r.media_type === 'image' && r.url).map((r) => mediaUrl(r.url, base))
}

export const CHANGE_STATUSES = ['pending_operator', 'pending_customer', 'applied', 'declined_by_operator', 'declined_by_customer'] as const

/** i18n key of a schedule change's status. */
export function changeStatusKey(status: string): string {
  return (CHANGE_STATUSES as readonly string[]).includes(status) ? `change.status.${status}` : 'change.status.other'
}

/** The change the customer has to answer (newest pending_customer), if any. */
export function pendingForCustomer<T extends Pick<ScheduleChange, 'status' | 'created_at'>>(list: readonly T[]): T | null {
  const p = list.filter((c) => c.status === 'pending_customer').sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
  return p[0] || null
}

/** Every other change (history line), newest first. */
export function changeHistory<T extends Pick<ScheduleChange, 'id' | 'status' | 'created_at'>>(list: readonly T[]): T[] {
  const pending = pendingForCustomer(list)
  return list.filter((c) => c !== pending && c.status !== 'pending_customer').sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
}

/** `2026-12-01 周二 14:00` in Asia/Shanghai (weekday via the `week.N` texts). */
export function shanghaiWhen(iso: string, t: (k: string, p?: Record<string, string | number>) => string): string {
  const d = shanghaiDate(iso)
  return `${d} ${t('slot.weekday', { d: t('week.' + weekdayOf(d)) })} ${shanghaiTime(iso)}`
}

/** Badge text for an unread count: '' (none), '1'…'99', '99+'. */
export function unreadBadge(n: number | null | undefined): string {
  const v = Math.floor(Number(n) || 0)
  if (v <= 0) return ''
  return v > 99 ? '99+' : String(v)
}

/** Order a notification points at (data.order_id), or null. */
export function notificationOrderId(n: Pick<AppNotification, 'data'>): number | null {
  const v = Number((n.data || {}).order_id)
  return Number.isInteger(v) && v > 0 ? v : null
}

/** The ticket a notification is about (complaints and suggestions: its page), or null. */
export function notificationTicketId(n: Pick<AppNotification, 'data'>): number | null {
  const v = Number((n.data || {}).ticket_id)
  return Number.isInteger(v) && v > 0 ? v : null
}

/** Mark one notification read in a list (returns a new list and the new unread count). */
export function markedRead<T extends Pick<AppNotification, 'id' | 'read_at'>>(list: readonly T[], id: number, unread: number, at = new Date().toISOString()) {
  let changed = false
  const next = list.map((n) => {
    if (n.id !== id || n.read_at) return n
    changed = true
    return { ...n, read_at: at }
  })
  return { list: next, unread: changed ? Math.max(0, unread - 1) : unread }
}

/** Whether a WS event is a new notification. */
export function isNotificationEvent(e: { type?: string } | null): boolean {
  return !!e && e.type === 'notification.created'
}

const rows: [string, string, string][] = [
  ['records.title', '服务记录', 'Service records'],
  ['records.empty', '师傅暂未上传服务记录', 'No service records yet'],
  ['records.stage.before', '服务前', 'Before'],
  ['records.stage.during', '服务中', 'During'],
  ['records.stage.after', '服务后', 'After'],
  ['records.stage.other', '记录', 'Record'],
  ['records.video', '视频', 'Video'],
  ['records.loadFailed', '服务记录加载失败，点击重试', 'Could not load the records, tap to retry'],
  ['change.title', '师傅申请改期', 'Your worker asks to reschedule'],
  ['change.from', '原时间', 'From'],
  ['change.to', '新时间', 'To'],
  ['change.reason', '原因', 'Reason'],
  ['change.consent', '同意改期', 'Accept'],
  ['change.decline', '不同意', 'Decline'],
  ['change.consentConfirm', '同意将上门时间改为 {to}？', 'Move the visit to {to}?'],
  ['change.declineConfirm', '不同意改期，保持原时间 {from}？', 'Keep the original time {from}?'],
  ['change.consented', '已改期', 'Rescheduled'],
  ['change.declined', '已保持原时间', 'Original time kept'],
  ['change.history', '改期记录', 'Reschedules'],
  ['change.status.pending_operator', '待平台审核', 'Under review'],
  ['change.status.pending_customer', '待您确认', 'Waiting for you'],
  ['change.status.applied', '已改期', 'Rescheduled'],
  ['change.status.declined_by_operator', '平台未通过', 'Declined by the platform'],
  ['change.status.declined_by_customer', '您已拒绝', 'Declined by you'],
  ['change.status.other', '已处理', 'Closed'],
  ['inbox.title', '消息通知', 'Notifications'],
  ['inbox.readAll', '全部已读', 'Mark all read'],
  ['inbox.empty', '暂无消息', 'No notifications'],
  ['inbox.allRead', '已全部标为已读', 'All marked as read'],
  ['inbox.unread', '{n} 条未读', '{n} unread'],
]

export const fieldworkMessages = messagesFromRows(rows)
addMessages(fieldworkMessages)
