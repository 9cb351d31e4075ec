/** Order list tabs, statuses and cancel reasons. */
import type { CancelReason, OrderStatus } from './types'

/** UI tab key (i18n `orders.<key>`) → `tab=` query value of GET /orders (all = no filter). */
export const ORDER_TAB_PARAM = {
  all: undefined,
  pending_payment: 'unpaid',
  pending_accept: 'waiting',
  accepted: 'accepted',
  in_service: 'in_service',
  completed: 'completed',
  cancelled: 'cancelled',
} as const

export const CANCEL_REASONS: CancelReason[] = ['change_of_plans', 'booked_by_mistake', 'price', 'other']

export type Tone = 'warning' | 'primary' | 'success' | 'muted' | 'danger'

export function statusTone(status: OrderStatus | string): Tone {
  switch (status) {
    case 'pending_payment':
      return 'warning'
    case 'paid':
    case 'accepted':
    case 'on_the_way':
    case 'in_service':
      return 'primary'
    case 'completed':
      return 'success'
    case 'dispatch_failed':
      return 'danger'
    default:
      return 'muted'
  }
}

/** A UUID v4 (crypto when available) for Idempotency-Key. */
export function uuid4(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string; getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto
  if (c?.randomUUID) return c.randomUUID()
  const b = new Uint8Array(16)
  if (c?.getRandomValues) c.getRandomValues(b)
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** "¥268" for whole yuan, "¥12.50" otherwise (via formatMoney's rules). */
export function formatPrice(fen: number | null | undefined, formatMoney: (f: number | null | undefined) => string): string {
  const s = formatMoney(fen)
  return s.endsWith('.00') ? s.slice(0, -3) : s
}
