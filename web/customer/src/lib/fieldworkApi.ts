/** Calls for service records, schedule changes and the inbox (customer token, over the shared typed client). */
import { ok } from '@anjia/shared/src/api/client'
import { notificationsApi } from '@anjia/shared/src/api/notifications'
import { useApi } from '@anjia/shared/src/uni/session'

const order = (id: number) => ({ params: { path: { order_id: id } } })

export const fieldworkApi = {
  records: (orderId: number) => ok(useApi().raw.GET('/api/v1/orders/{order_id}/records', order(orderId))),
  changes: (orderId: number) => ok(useApi().raw.GET('/api/v1/orders/{order_id}/schedule-changes', order(orderId))),
  decide: (changeId: number, decision: 'consent' | 'decline') =>
    ok(
      useApi().raw.POST('/api/v1/schedule-changes/{change_id}/{decision}', {
        params: { path: { change_id: changeId, decision } },
      }),
    ),
}

/** The inbox: the same calls as the worker app's. */
export const inboxApi = () => notificationsApi(useApi())
