import type { components, paths } from '@anjia/shared/src/api/schema'
import { api } from '../api/client'

type S = components['schemas']
export type AdminTicket = S['AdminTicketOut']
export type AdminTicketRow = S['AdminTicketSummary']
export type Assignee = S['SupportAssigneeOut']
export type ResolveBody = S['TicketResolveIn']
export type SupportAnalysis = S['SupportAnalysisOut']
export type SupportBucket = S['SupportBucket']
export type TicketQuery = NonNullable<paths['/api/v1/admin/support/tickets']['get']['parameters']['query']>
export type AnalysisQuery = NonNullable<paths['/api/v1/admin/support/analysis']['get']['parameters']['query']>

const ticket = (id: number) => ({ path: { ticket_id: id } })

/** Tickets (support.read) and their handling (support.write, audited), the analysis and its xlsx. */
export const supportApi = {
  list: (q: TicketQuery) => api.GET('/api/v1/admin/support/tickets', { params: { query: q } }),
  get: (id: number) => api.GET('/api/v1/admin/support/tickets/{ticket_id}', { params: ticket(id) }),
  assignees: () => api.GET('/api/v1/admin/support/assignees'),
  assign: (id: number, assigneeId: number) =>
    api.POST('/api/v1/admin/support/tickets/{ticket_id}/assign', { params: ticket(id), body: { assignee_id: assigneeId } }),
  start: (id: number) => api.POST('/api/v1/admin/support/tickets/{ticket_id}/start', { params: ticket(id) }),
  note: (id: number, note: string) => api.POST('/api/v1/admin/support/tickets/{ticket_id}/notes', { params: ticket(id), body: { note } }),
  resolve: (id: number, body: ResolveBody) => api.POST('/api/v1/admin/support/tickets/{ticket_id}/resolve', { params: ticket(id), body }),
  analysis: (q: AnalysisQuery) => api.GET('/api/v1/admin/support/analysis', { params: { query: q } }),
}
