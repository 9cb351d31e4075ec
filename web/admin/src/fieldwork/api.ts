/** Service records and schedule changes (docs/api.md, "# Dispatch and service execution"). */
import { api } from '../api/client'
import type { components } from '@anjia/shared/src/api/schema'

export type ServiceRecord = components['schemas']['RecordOut']
export type ScheduleChange = components['schemas']['ScheduleChangeOut']

export const fieldworkApi = {
  records: (orderId: number) => api.GET('/api/v1/admin/orders/{order_id}/records', { params: { path: { order_id: orderId } } }),
  pendingChanges: () => api.GET('/api/v1/admin/schedule-changes'),
  decide: (changeId: number, decision: 'approve' | 'decline') =>
    api.POST('/api/v1/admin/schedule-changes/{change_id}/{decision}', {
      params: { path: { change_id: changeId, decision } } as never,
    }),
}
