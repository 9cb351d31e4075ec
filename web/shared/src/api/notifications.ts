/** The signed-in user's inbox (customer and worker apps), over the typed client. */
import type { components } from './schema'
import { ok, type Api } from './client'

export type AppNotification = components['schemas']['NotificationOut']
export type NotificationPage = components['schemas']['NotificationPage']

export function notificationsApi(api: Api) {
  const c = api.raw
  return {
    list: (page = 1, pageSize = 20) =>
      ok(c.GET('/api/v1/notifications', { params: { query: { page, page_size: pageSize } } })),
    unread: () => ok(c.GET('/api/v1/notifications/unread-count')).then((r) => r.unread),
    /** Resolves with the remaining unread count. */
    markRead: (n: Pick<AppNotification, 'id'>) =>
      ok(c.POST('/api/v1/notifications/{notification_id}/read', { params: { path: { notification_id: n.id } } })).then(
        (r) => r.unread,
      ),
    readAll: () => ok(c.POST('/api/v1/notifications/read-all')).then((r) => r.unread),
  }
}

export type NotificationsApi = ReturnType<typeof notificationsApi>
