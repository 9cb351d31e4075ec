/** Pure helpers of the complaint and suggestion pages (tested in tests/support.test.ts). */

export type Kind = 'complaint' | 'suggestion' | 'follow_up'
export type Category = 'quality' | 'attitude' | 'punctuality' | 'damage' | 'pricing' | 'other'
export type Status = 'new' | 'assigned' | 'in_progress' | 'resolved' | 'closed'

export const CATEGORIES: Category[] = ['quality', 'attitude', 'punctuality', 'damage', 'pricing', 'other']
export const MAX_PHOTOS = 9
export const MAX_TEXT = 1000
export const MIN_TEXT = 2

export interface TicketForm {
  kind: 'complaint' | 'suggestion'
  category: Category | ''
  content: string
}

/** What still stops the form from being sent: an i18n key, or '' when it can go. */
export function formProblem(f: TicketForm): string {
  if (f.kind === 'complaint' && !f.category) return 'support.needCategory'
  const n = f.content.trim().length
  if (n < MIN_TEXT) return 'support.needText'
  if (n > MAX_TEXT) return 'support.tooLong'
  return ''
}

/** The request body: a suggestion is filed under 其他 (its categories are about complaints). */
export function ticketBody(f: TicketForm, orderId: number | null, photoIds: number[]) {
  return {
    kind: f.kind,
    order_id: f.kind === 'complaint' && orderId ? orderId : null,
    category: (f.kind === 'suggestion' ? 'other' : f.category || 'other') as Category,
    content: f.content.trim(),
    photo_ids: photoIds.slice(0, MAX_PHOTOS),
  }
}

/** Colour of a status tag: waiting (orange), being handled (blue), answered (green), done (grey). */
export function statusTone(status: string): 'warn' | 'info' | 'ok' | 'done' {
  if (status === 'new') return 'warn'
  if (status === 'assigned' || status === 'in_progress') return 'info'
  if (status === 'resolved') return 'ok'
  return 'done'
}

/** The steps the customer sees on the progress bar, and how far the ticket is (index of the current one). */
export const STEPS: Status[] = ['new', 'assigned', 'in_progress', 'resolved', 'closed']
export function stepIndex(status: string): number {
  const i = STEPS.indexOf(status as Status)
  return i < 0 ? 0 : i
}

/** An open complaint about the order, if any (the order page links to it instead of a second one). */
export function openComplaint<T extends { kind: string; status: string }>(tickets: readonly T[]): T | null {
  return tickets.find((t) => t.kind === 'complaint' && t.status !== 'closed') ?? null
}

/** The i18n key of a compensation's state (a coupon: issued / used / expired / revoked; a refund: its refund state). */
export function compensationStatusKey(kind: string, status: string): string {
  return `support.comp.${kind === 'coupon' ? 'coupon' : 'refund'}.${status}`
}

/** The i18n key of a timeline step's words; unknown steps fall back to the server's label. */
export const EVENT_TYPES = ['opened', 'assigned', 'started', 'note', 'resolved', 'reopened', 'confirmed', 'auto_closed']
export function eventKey(type: string): string | null {
  return EVENT_TYPES.includes(type) ? `support.event.${type}` : null
}

/** Newest first, as the customer reads a timeline. */
export function newestFirst<T extends { at: string; id: number }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1))
}
