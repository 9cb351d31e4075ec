/**
 * Pure logic of service records, schedule changes and the notification badge (no uni, no Vue).
 * docs: openapi `POST/GET /worker/orders/{id}/records`, `POST /worker/schedule-changes`, `/notifications*`.
 */
import { ApiProblem } from '@anjia/shared/src/api/problem'
import type { RecordStage, ScheduleChangeIn, TimelineEntry } from './types'

const SH_OFFSET_MS = 8 * 3600 * 1000 // Asia/Shanghai, no DST
const p2 = (n: number) => String(n).padStart(2, '0')

/* ---------------------------------------------------------------- records */

export const RECORD_STAGES: RecordStage[] = ['before', 'during', 'after']
/** Orders in these statuses show (and accept) service records. */
export const RECORD_STATUSES = ['on_the_way', 'in_service', 'completed']

export const hasRecords = (status: string | null | undefined) => !!status && RECORD_STATUSES.includes(status)

/** i18n key of a stage: 服务前 / 服务中 / 服务后. */
export function stageKey(stage: string): string {
  return RECORD_STAGES.includes(stage as RecordStage) ? `rec.stage.${stage}` : 'rec.stage.other'
}

/** The stage that fits the order now: before check-in 服务前, in service 服务中, after check-out 服务后. */
export function defaultStage(status: string | null | undefined): RecordStage {
  if (status === 'in_service') return 'during'
  if (status === 'completed') return 'after'
  return 'before'
}

export const NOTE_MAX = 500

export interface RecordDraft {
  stage: RecordStage
  note: string
  /** A local file path (mp temp path, H5 blob URL) or null for a note only. */
  filePath: string | null
}

/**
 * Multipart fields of `POST /worker/orders/{id}/records` (the file goes as `file`).
 * Returns an i18n error key when there is nothing to send or the note is too long.
 */
export function recordFields(d: RecordDraft): { fields?: Record<string, string>; error?: string } {
  if (!RECORD_STAGES.includes(d.stage)) return { error: 'rec.pickStage' }
  const note = d.note.trim()
  if (!note && !d.filePath) return { error: 'rec.nothing' }
  if (note.length > NOTE_MAX) return { error: 'rec.tooLong' }
  return { fields: { stage: d.stage, note } }
}

/** Signed media URLs come relative (`/api/v1/media/…`): prefix the API origin where it is not the page's (mp-weixin). */
export function mediaUrl(base: string, url: string | null | undefined): string {
  if (!url) return ''
  if (/^(https?:|blob:|data:)/.test(url)) return url
  return base.replace(/\/+$/, '') + (url.startsWith('/') ? url : `/${url}`)
}

/** The answer of `uni.uploadFile` (status + raw text) as the created record or an ApiProblem. */
export function uploadResult<T>(statusCode: number, data: unknown): { record?: T; problem?: ApiProblem } {
  let body: unknown = data
  if (typeof data === 'string') {
    try {
      body = data ? JSON.parse(data) : null
    } catch {
      body = data
    }
  }
  if (statusCode >= 200 && statusCode < 300 && body && typeof body === 'object') return { record: body as T }
  return { problem: ApiProblem.from(statusCode, body) }
}

/** 0…1 or 0…100 → whole percent 0…100. */
export function percent(progress: number): number {
  if (!Number.isFinite(progress)) return 0
  const p = progress <= 1 && progress > 0 && !Number.isInteger(progress) ? progress * 100 : progress
  return Math.max(0, Math.min(100, Math.round(p)))
}

/* ---------------------------------------------------------------- schedule changes */

export interface DayChoice {
  /** YYYY-MM-DD (Asia/Shanghai) */
  date: string
  /** MM-DD */
  label: string
  /** 0 = Monday … 6 = Sunday */
  weekday: number
}

function shParts(ms: number) {
  const d = new Date(ms + SH_OFFSET_MS)
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), wd: d.getUTCDay() }
}

/** The next `n` days from today (Asia/Shanghai). */
export function rescheduleDays(now: number = Date.now(), n = 7): DayChoice[] {
  const out: DayChoice[] = []
  for (let i = 0; i < n; i++) {
    const p = shParts(now + i * 86400000)
    out.push({ date: `${p.y}-${p2(p.m)}-${p2(p.d)}`, label: `${p2(p.m)}-${p2(p.d)}`, weekday: (p.wd + 6) % 7 })
  }
  return out
}

/** "08:00", "08:30" … "20:00". */
export function rescheduleTimes(from = 8 * 60, to = 20 * 60, step = 30): string[] {
  const out: string[] = []
  for (let m = from; m <= to; m += step) out.push(`${p2(Math.floor(m / 60))}:${p2(m % 60)}`)
  return out
}

/** "2026-11-05" + "14:30" → "2026-11-05T14:30:00+08:00". */
export function shanghaiIso(date: string, time: string): string {
  return `${date}T${time}:00+08:00`
}

/** Whether a day/time choice is already past (or now). */
export function isPastChoice(date: string, time: string, now: number = Date.now()): boolean {
  const t = Date.parse(shanghaiIso(date, time))
  return Number.isNaN(t) || t <= now
}

export const RESCHEDULE_REASON_MAX = 200

/** Body of `POST /worker/schedule-changes`, or an i18n error key. */
export function reschedulePayload(
  orderId: number,
  date: string,
  time: string,
  reason: string,
  opts: { now?: number; currentStart?: string } = {},
): { body?: ScheduleChangeIn; error?: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date || '')) return { error: 'rs.pickDate' }
  if (!/^\d{2}:\d{2}$/.test(time || '')) return { error: 'rs.pickTime' }
  const r = (reason || '').trim()
  if (!r) return { error: 'rs.reasonRequired' }
  if (r.length > RESCHEDULE_REASON_MAX) return { error: 'rs.reasonTooLong' }
  const iso = shanghaiIso(date, time)
  if (isPastChoice(date, time, opts.now ?? Date.now())) return { error: 'rs.past' }
  if (opts.currentStart && Date.parse(opts.currentStart) === Date.parse(iso)) return { error: 'rs.same' }
  return { body: { order_id: orderId, new_start: iso, reason: r } }
}

export type ChangeState = 'pending_operator' | 'pending_customer' | 'declined' | 'applied'

export interface ChangeView {
  changeId: number | null
  /** the asked new start (ISO), if the timeline says */
  to: string | null
  reason: string
  state: ChangeState
  /** last update */
  at: string
  pending: boolean
}

const CHANGE_STATE: Record<string, ChangeState> = {
  schedule_change_requested: 'pending_operator',
  schedule_change_approved: 'pending_customer',
  schedule_change_declined: 'declined',
  rescheduled: 'applied',
}

export const isChangeEntry = (e: TimelineEntry) => !!e.type && e.type in CHANGE_STATE

/** Schedule changes from the order's timeline (oldest first in, newest first out), one per change id. */
export function scheduleChanges(timeline: readonly Pick<TimelineEntry, 'type' | 'at' | 'data'>[] | null | undefined): ChangeView[] {
  const byId = new Map<string, ChangeView>()
  let anon = 0
  for (const e of timeline || []) {
    if (!e.type || !(e.type in CHANGE_STATE)) continue
    const data = (e.data || {}) as Record<string, unknown>
    const id = typeof data.change_id === 'number' ? data.change_id : null
    const key = id != null ? String(id) : `anon-${anon++}`
    const prev = byId.get(key)
    const state = CHANGE_STATE[e.type]
    const to = typeof data.to === 'string' ? data.to : prev?.to ?? null
    const reason = typeof data.reason === 'string' ? data.reason : prev?.reason ?? ''
    byId.delete(key) // re-insert: most recently touched last
    byId.set(key, {
      changeId: id,
      to,
      reason,
      state,
      at: String(e.at || prev?.at || ''),
      pending: state === 'pending_operator' || state === 'pending_customer',
    })
  }
  return Array.from(byId.values()).reverse()
}

/** "11-05 周四 14:30" in Asia/Shanghai (`weekday(i)`: 0 = Monday … 6). */
export function formatWhen(iso: string | null | undefined, weekday: (wd: number) => string): string {
  const t = Date.parse(iso || '')
  if (Number.isNaN(t)) return ''
  const p = shParts(t)
  return `${p2(p.m)}-${p2(p.d)} ${weekday((p.wd + 6) % 7)} ${p2(p.hh)}:${p2(p.mm)}`
}

/* ---------------------------------------------------------------- notifications */

/** Badge text for an unread count: "" (none), "1" … "99", "99+". */
export function unreadBadge(n: number | null | undefined): string {
  if (!n || !Number.isFinite(n) || n <= 0) return ''
  return n > 99 ? '99+' : String(Math.floor(n))
}

/** Events that change the unread count. */
export function isNotificationEvent(e: { type?: string } | null | undefined): boolean {
  return !!e && e.type === 'notification.created'
}

/** The order a notification points at, if any. */
export function notificationOrderId(data: Record<string, unknown> | null | undefined): number | null {
  const v = data?.order_id
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN
  return Number.isInteger(n) && n > 0 ? n : null
}
