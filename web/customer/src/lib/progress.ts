/**
 * Live order detail: progress steps, ETA and the final price (pure logic, tested in tests/progress.test.ts).
 * Texts are merged into the shared dictionaries on import.
 */
import { addMessages, messagesFromRows } from '@anjia/shared/src/i18n'
import type { Order, TimelineEntry } from './booking/types'

/** A timeline entry as these rules read it (`data` only where they need it). */
type Entry = Omit<TimelineEntry, 'data'> & Partial<Pick<TimelineEntry, 'data'>>

/** 已下单 → 已支付 → 师傅已接单 → 师傅已出发 → 服务中 → 已完成 */
export const PROGRESS_STEPS = ['placed', 'paid', 'accepted', 'departed', 'in_service', 'completed'] as const
export type ProgressStep = (typeof PROGRESS_STEPS)[number]

/** Index of the step the order has reached, from its status. */
const STATUS_STEP: Record<string, number> = {
  pending_payment: 0,
  paid: 1,
  dispatch_failed: 1,
  accepted: 2,
  on_the_way: 3,
  in_service: 4,
  completed: 5,
}

/** Timeline event type → the step it completes. */
const EVENT_STEP: Record<string, number> = {
  created: 0,
  paid: 1,
  accepted: 2,
  assigned: 2,
  departed: 3,
  checked_in: 4,
  checked_out: 5,
}

export interface ProgressItem {
  key: ProgressStep
  /** done: reached before; current: where the order is now; todo: not yet */
  state: 'done' | 'current' | 'todo'
  /** when the step was reached (from the timeline), if known */
  at?: string
}

export interface Progress {
  /** index of the current step (-1: nothing known) */
  current: number
  cancelled: boolean
  items: ProgressItem[]
}

/**
 * The stepper for an order: the step follows `status` (and never goes back behind the timeline,
 * e.g. a cancelled order keeps the steps it reached). A redispatch after an accept shows 已支付 again.
 */
export function orderProgress(status: string, timeline: readonly Entry[] = []): Progress {
  const cancelled = status === 'cancelled'
  const at: (string | undefined)[] = PROGRESS_STEPS.map(() => undefined)
  let reached = -1
  const sorted = [...timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
  for (const e of sorted) {
    const s = EVENT_STEP[e.type]
    if (s === undefined) continue
    if (!at[s]) at[s] = e.at
    reached = Math.max(reached, s)
  }
  let current = status in STATUS_STEP ? STATUS_STEP[status] : reached
  if (cancelled) current = reached
  if (current < 0 && !cancelled) current = 0
  const items = PROGRESS_STEPS.map((key, i): ProgressItem => {
    const done = i < current || (i === current && (current === PROGRESS_STEPS.length - 1 || cancelled))
    return { key, state: done ? 'done' : i === current ? 'current' : 'todo', at: i <= current ? at[i] : undefined }
  })
  return { current, cancelled, items }
}

/** The order is on its way and an ETA may be shown. */
export function showsEta(status: string): boolean {
  return status === 'on_the_way'
}

/** ETA minutes from a `worker.location` payload for this order (null: not for us / unknown). */
export function etaFromEvent(orderId: number, payload: Record<string, unknown> | undefined): number | null {
  if (!payload || Number(payload.order_id) !== orderId) return null
  const eta = payload.eta_minutes
  return typeof eta === 'number' && Number.isFinite(eta) && eta >= 0 ? Math.max(1, Math.ceil(eta)) : null
}

/** The worker's position and driving route (GCJ-02 [lat, lng] pairs) from a `worker.location` event of this order. */
export function trackFromEvent(orderId: number, payload: Record<string, unknown> | undefined): { at: { lat: number; lng: number }; route: [number, number][] } | null {
  if (!payload || Number(payload.order_id) !== orderId) return null
  const lat = Number(payload.lat)
  const lng = Number(payload.lng)
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null
  const raw = Array.isArray(payload.route) ? (payload.route as unknown[]) : []
  const route = raw.filter((p): p is [number, number] => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v)))
  return { at: { lat, lng }, route }
}

/** Whether a WS event should reload this order (`order.*` with payload.order_id = id). */
export function isOrderEvent(orderId: number, e: { type?: string; payload?: Record<string, unknown> } | null): boolean {
  if (!e || typeof e.type !== 'string' || !e.type.startsWith('order.')) return false
  return Number(e.payload?.order_id) === orderId
}

export interface FinalPrice {
  /** the price of the service as performed */
  final: number
  /** what was paid before (the booked total) */
  booked: number
  /** final − paid: > 0 the customer pays more, < 0 refund */
  difference: number
}

/**
 * After check-out: final = the `checked_out` timeline entry's `final_total`, else total + price_difference.
 * null before check-out.
 */
export function finalPrice(
  order: Pick<Order, 'status' | 'total' | 'price_difference'> & { timeline: readonly Entry[] },
): FinalPrice | null {
  const out = (order.timeline || []).filter((e) => e.type === 'checked_out').pop()
  if (!out && order.status !== 'completed') return null
  const diff = Number(order.price_difference || 0)
  const fromTimeline = out?.data && typeof out.data.final_total === 'number' ? (out.data.final_total as number) : null
  const final = fromTimeline ?? order.total + diff
  return { final, booked: order.total, difference: diff }
}

/** i18n key + params of the difference line, or null when it is 0. */
export function differenceText(diff: number, money: (fen: number) => string): { key: string; params: { x: string } } | null {
  if (!diff) return null
  return diff > 0
    ? { key: 'live.payMore', params: { x: money(diff) } }
    : { key: 'live.refund', params: { x: money(-diff) } }
}

/** Polling interval while the socket is down. */
export const POLL_MS = 15000

const rows: [string, string, string][] = [
  ['live.step.placed', '已下单', 'Placed'],
  ['live.step.paid', '已支付', 'Paid'],
  ['live.step.accepted', '师傅已接单', 'Accepted'],
  ['live.step.departed', '师傅已出发', 'On the way'],
  ['live.step.in_service', '服务中', 'In service'],
  ['live.step.completed', '已完成', 'Completed'],
  ['live.eta', '师傅约 {n} 分钟后到达', 'Arriving in about {n} min'],
  ['live.onTheWay', '师傅正在赶来', 'Your worker is on the way'],
  ['live.inService', '师傅正在为您服务', 'Service in progress'],
  ['live.accepted', '师傅已接单，将按时上门', 'A worker accepted your order'],
  ['live.waiting', '正在为您匹配师傅', 'Finding a worker for you'],
  ['live.finalPrice', '最终价格', 'Final price'],
  ['live.booked', '下单金额', 'Booked'],
  ['live.payMore', '需补差价 {x}', 'Extra to pay: {x}'],
  ['live.refund', '将退还 {x}', 'To be refunded: {x}'],
  ['live.live', '实时更新中', 'Live'],
  ['live.polling', '每 15 秒刷新', 'Refreshing every 15 s'],
  ['live.progress', '服务进度', 'Progress'],
]

export const liveMessages = messagesFromRows(rows)
addMessages(liveMessages)
