/** Complaints and suggestions (customer token, over the shared typed client). */
import { ok } from '@anjia/shared/src/api/client'
import type { components } from '@anjia/shared/src/api/schema'
import { useApi } from '@anjia/shared/src/uni/session'

type S = components['schemas']
export type Ticket = S['TicketOut']
export type TicketSummary = S['TicketSummary']
export type TicketIn = S['TicketIn']
export type TicketEvent = S['TicketEventOut']
export type TicketCompensation = S['TicketCompensationOut']
export type TicketPhoto = S['TicketPhotoOut']

const ticket = (id: number) => ({ params: { path: { ticket_id: id } } })

/** Where photos for a ticket to come are uploaded (the photo picker posts each one here). */
export const TICKET_PHOTOS_PATH = '/api/v1/support/photos'

export const supportApi = {
  mine: (page: number, orderId?: number) =>
    ok(useApi().raw.GET('/api/v1/support/tickets', { params: { query: { page, page_size: 20, ...(orderId ? { order_id: orderId } : {}) } } })),
  get: (id: number) => ok(useApi().raw.GET('/api/v1/support/tickets/{ticket_id}', ticket(id))),
  open: (body: TicketIn) => ok(useApi().raw.POST('/api/v1/support/tickets', { body })),
  confirm: (id: number) => ok(useApi().raw.POST('/api/v1/support/tickets/{ticket_id}/confirm', ticket(id))),
  reopen: (id: number, reason: string) => ok(useApi().raw.POST('/api/v1/support/tickets/{ticket_id}/reopen', { ...ticket(id), body: { reason } })),
}
