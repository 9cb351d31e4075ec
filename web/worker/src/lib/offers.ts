/** Pure logic of the worker's offers and orders (no uni, no Vue): countdowns, texts, payloads, stages. */
import type { Offer, RejectIn, RejectReasonCode, WorkerOrder } from './types'
import { addressOf } from './types'
import type { RealtimeEvent } from '@anjia/shared/src/realtime/client'

const SH_OFFSET_MS = 8 * 3600 * 1000 // Asia/Shanghai, no DST
const p2 = (n: number) => String(n).padStart(2, '0')

/** Whole seconds left until `expiresAt` (never negative; 0 for unparsable input). */
export function secondsLeft(expiresAt: string, now: number = Date.now()): number {
  const t = Date.parse(expiresAt)
  if (Number.isNaN(t)) return 0
  return Math.max(0, Math.ceil((t - now) / 1000))
}

/** 75 → "01:15", 3725 → "1:02:05", 0 → "00:00". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  return h > 0 ? `${h}:${p2(m)}:${p2(r)}` : `${p2(m)}:${p2(r)}`
}

/** Countdown state of an offer: text, expired, and urgent (under a minute). */
export function offerCountdown(expiresAt: string, now: number = Date.now()) {
  const left = secondsLeft(expiresAt, now)
  return { left, text: formatCountdown(left), expired: left <= 0, urgent: left > 0 && left < 60 }
}

/** 0.8 → "800 m", 3.25 → "3.3 km", null → "". */
export function formatDistance(km: number | null | undefined): string {
  if (km == null || !Number.isFinite(km)) return ''
  if (km < 1) return `${Math.max(1, Math.round(km * 1000))} m`
  return `${km < 10 ? km.toFixed(1) : Math.round(km)} km`
}

function parts(iso: string) {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return null
  const d = new Date(t + SH_OFFSET_MS)
  return { m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), wd: d.getUTCDay() }
}

/**
 * Service time in Asia/Shanghai: "11-03 周二 14:00-16:00" (`weekday(i)` gives the label of 0 = Sunday … 6).
 * An end on another day is shown with its date.
 */
export function formatSlot(start: string, end: string, weekday: (wd: number) => string): string {
  const a = parts(start)
  if (!a) return ''
  const b = parts(end)
  let s = `${p2(a.m)}-${p2(a.d)} ${weekday(a.wd)} ${p2(a.hh)}:${p2(a.mm)}`
  if (b) s += b.m === a.m && b.d === a.d ? `-${p2(b.hh)}:${p2(b.mm)}` : ` - ${p2(b.m)}-${p2(b.d)} ${p2(b.hh)}:${p2(b.mm)}`
  return s
}

/** "14:00-16:00" (Asia/Shanghai). */
export function formatHours(start: string, end: string): string {
  const a = parts(start)
  const b = parts(end)
  if (!a) return ''
  return `${p2(a.hh)}:${p2(a.mm)}` + (b ? `-${p2(b.hh)}:${p2(b.mm)}` : '')
}

/** Offers still open, soonest expiry first. */
export function openOffers(offers: Offer[], now: number = Date.now()): Offer[] {
  return offers.filter((o) => secondsLeft(o.expires_at, now) > 0).sort((x, y) => Date.parse(x.expires_at) - Date.parse(y.expires_at))
}

/* ---- reject ---- */

export const REJECT_REASONS: RejectReasonCode[] = ['too_far', 'busy', 'skill', 'price', 'other']
export const REASON_MAX = 200

/**
 * The body of POST …/reject, or an error key: `reason.required` (other without text), `reason.tooLong`.
 * The text is optional for the listed reasons and sent only when non-empty.
 */
export function rejectPayload(code: RejectReasonCode | '' | null, text: string): { body?: RejectIn; error?: string } {
  if (!code || !REJECT_REASONS.includes(code)) return { error: 'reason.pick' }
  const reason = (text || '').trim()
  if (reason.length > REASON_MAX) return { error: 'reason.tooLong' }
  if (code === 'other' && !reason) return { error: 'reason.required' }
  return { body: reason ? { reason_code: code, reason } : { reason_code: code } }
}

/* ---- stages ---- */

export type Stage = 'offer' | 'accepted' | 'on_the_way' | 'in_service' | 'completed' | 'cancelled' | 'other'

/** What the detail page offers for an order's status: paid / dispatch_failed are offers (accept / reject). */
export function stageOf(status: string, offerStatus?: string | null): Stage {
  switch (status) {
    case 'paid':
    case 'dispatch_failed':
      // my offer must still be open (`offer_status` "offered"); a declined or expired one has no actions
      return offerStatus === undefined || offerStatus === null || offerStatus === 'offered' ? 'offer' : 'other'
    case 'accepted':
    case 'on_the_way':
    case 'in_service':
    case 'completed':
    case 'cancelled':
      return status
    default:
      return 'other'
  }
}

/** While on the way / in service the worker reports the location every 30 s. */
export function reportsLocation(status: string): boolean {
  return status === 'on_the_way' || status === 'in_service'
}

export const LOCATION_INTERVAL_MS = 30000

/** A phone is callable when the server did not mask it ("138****0001"). */
export function isCallable(phone: string | null | undefined): boolean {
  return !!phone && !phone.includes('*') && /\d{5,}/.test(phone)
}

/** First usable deep link of `navigation` (amap, tencent, apple in this order). */
export function firstNavigationLink(nav: WorkerOrder['navigation'] | null): string | null {
  if (!nav) return null
  for (const k of ['amap', 'tencent', 'apple'] as const) if (nav[k]) return nav[k] as string
  for (const v of Object.values(nav)) if (typeof v === 'string' && v) return v
  return null
}

/** The address line of an order: `{city, district, detail, …}` (the detail only once assigned). */
export function addressLine(a: WorkerOrder['address'] | null | undefined): string {
  const { city, district, detail } = addressOf({ address: a })
  return [city, district, detail].map((s) => s || '').join('')
}

/** The final price after check-out. */
export function finalPrice(o: Pick<WorkerOrder, 'final_total'>): number | null {
  return o.final_total ?? null
}

/** Orders starting on `date` (YYYY-MM-DD, Asia/Shanghai), by start time. */
export function ordersOnDay<T extends { start: string }>(orders: T[], date: string): T[] {
  return orders
    .filter((o) => {
      const t = Date.parse(o.start)
      if (Number.isNaN(t)) return false
      return new Date(t + SH_OFFSET_MS).toISOString().slice(0, 10) === date
    })
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
}

/* ---- events ---- */

/** Events that change the worker's offers or orders; `null` (a reconnect that may have missed some) counts too. */
export function isOrderEvent(e: RealtimeEvent | null): boolean {
  if (!e) return true
  return e.type === 'offer.created' || e.type === 'offer.withdrawn' || e.type.startsWith('order.')
}

/** The order an event is about, if any. */
export function eventOrderId(e: RealtimeEvent | null): number | null {
  const v = e?.payload?.order_id
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v && !Number.isNaN(Number(v))) return Number(v)
  return null
}
