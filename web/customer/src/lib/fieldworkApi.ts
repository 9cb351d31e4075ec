/** Calls for service records, schedule changes and the inbox (customer token, over the shared client). */
import { ApiProblem } from '@anjia/shared/src/api/problem'
import { useApi } from '@anjia/shared/src/uni/session'
import type { NotificationPage, ScheduleChange, ServiceRecord } from './fieldwork'

type Result = Promise<{ data?: unknown; error?: unknown; response: Response }>
type Call = (path: string, init?: Record<string, unknown>) => Result

async function ok<T>(p: Result): Promise<T> {
  const r = await p
  if (r.error !== undefined || !r.response.ok) throw ApiProblem.from(r.response.status, r.error)
  return r.data as T
}

function raw() {
  return useApi().raw as unknown as { GET: Call; POST: Call }
}

export const fieldworkApi = {
  records: (orderId: number) => ok<ServiceRecord[]>(raw().GET(`/api/v1/orders/${orderId}/records`)),
  changes: (orderId: number) => ok<ScheduleChange[]>(raw().GET(`/api/v1/orders/${orderId}/schedule-changes`)),
  decide: (changeId: number, decision: 'consent' | 'decline') =>
    ok<ScheduleChange>(raw().POST(`/api/v1/schedule-changes/${changeId}/${decision}`, { body: {} })),
}

export const inboxApi = {
  list: (page = 1) => ok<NotificationPage>(raw().GET('/api/v1/notifications', { params: { query: { page } } })),
  unreadCount: async () => {
    const d = await ok<{ unread?: number; count?: number } | number>(raw().GET('/api/v1/notifications/unread-count'))
    return typeof d === 'number' ? d : Number(d?.unread ?? d?.count ?? 0)
  },
  read: (id: number) => ok<unknown>(raw().POST(`/api/v1/notifications/${id}/read`, { body: {} })),
  readAll: () => ok<unknown>(raw().POST('/api/v1/notifications/read-all', { body: {} })),
}
