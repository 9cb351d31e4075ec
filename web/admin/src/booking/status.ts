import type { OrderStatus } from './types'

export const ORDER_STATUSES: OrderStatus[] = [
  'pending_payment',
  'paid',
  'accepted',
  'on_the_way',
  'in_service',
  'completed',
  'cancelled',
  'dispatch_failed',
]

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

const TAGS: Record<OrderStatus, { type: TagType; effect: 'light' | 'dark' | 'plain' }> = {
  pending_payment: { type: 'warning', effect: 'light' },
  paid: { type: 'primary', effect: 'light' },
  accepted: { type: 'primary', effect: 'plain' },
  on_the_way: { type: 'primary', effect: 'plain' },
  in_service: { type: 'success', effect: 'light' },
  completed: { type: 'success', effect: 'dark' },
  cancelled: { type: 'info', effect: 'light' },
  dispatch_failed: { type: 'danger', effect: 'light' },
}

export function statusTag(status: string) {
  return TAGS[status as OrderStatus] ?? { type: 'info' as TagType, effect: 'plain' as const }
}
