import type { Api } from '../api/client'
import { ApiProblem } from '../api/problem'
import type {
  CheckInIn,
  LeaveIn,
  AppNotification,
  NotificationPage,
  Offer,
  RegionSummary,
  ScheduleChange,
  ScheduleChangeIn,
  ServiceRecord,
  RejectIn,
  WeeklyRange,
  WorkerAvailability,
  WorkerOrder,
  WorkerOrderScope,
  WorkerSettingsIn,
} from './types'

type Result = Promise<{ data?: unknown; error?: unknown; response: Response }>
type Call = (path: string, init?: Record<string, unknown>) => Result
/** The openapi-fetch client without path typing (these paths are not in schema.d.ts yet). */
interface UntypedClient {
  GET: Call
  PUT: Call
  PATCH: Call
  POST: Call
  DELETE: Call
}

async function ok<T>(p: Result): Promise<T> {
  const r = await p
  if (r.error !== undefined || !r.response.ok) throw ApiProblem.from(r.response.status, r.error)
  return r.data as T
}

/** Worker availability calls over the shared client (auth, refresh and problems included). */
export function workerApi(api: Api) {
  const c = api.raw as unknown as UntypedClient
  return {
    get: () => ok<WorkerAvailability>(c.GET('/api/v1/worker/availability')),
    /** Replaces the whole week; resolves with the updated availability. */
    putWeekly: (weekly: WeeklyRange[]) =>
      ok<WorkerAvailability>(c.PUT('/api/v1/worker/availability/weekly', { body: { weekly } })),
    update: (body: WorkerSettingsIn) => ok<WorkerAvailability>(c.PATCH('/api/v1/worker/availability', { body })),
    /** 201 with the updated availability (its `leaves` include the new one). */
    addLeave: (body: LeaveIn) => ok<WorkerAvailability>(c.POST('/api/v1/worker/leaves', { body })),
    /** 204 */
    deleteLeave: (leaveId: number) =>
      ok<unknown>(c.DELETE('/api/v1/worker/leaves/{leave_id}', { params: { path: { leave_id: leaveId } } })),
    regions: () => ok<RegionSummary[]>(c.GET('/api/v1/regions')),
  }
}

export type WorkerApi = ReturnType<typeof workerApi>

/** Offers and service execution (docs/api.md, "# Dispatch and service execution"). */
export function dispatchApi(api: Api) {
  const c = api.raw as unknown as UntypedClient
  const id = (orderId: number) => ({ params: { path: { order_id: orderId } } })
  return {
    offers: () => ok<Offer[]>(c.GET('/api/v1/worker/offers')),
    orders: (scope: WorkerOrderScope) => ok<WorkerOrder[]>(c.GET('/api/v1/worker/orders', { params: { query: { scope } } })),
    order: (orderId: number) => ok<WorkerOrder>(c.GET('/api/v1/worker/orders/{order_id}', id(orderId))),
    /** 409 `offer_taken` / `offer_expired` when someone else won or the offer ran out. */
    accept: (orderId: number) => ok<WorkerOrder>(c.POST('/api/v1/worker/orders/{order_id}/accept', id(orderId))),
    /** 204 */
    reject: (orderId: number, body: RejectIn) =>
      ok<unknown>(c.POST('/api/v1/worker/orders/{order_id}/reject', { ...id(orderId), body })),
    depart: (orderId: number) => ok<WorkerOrder>(c.POST('/api/v1/worker/orders/{order_id}/depart', id(orderId))),
    /** 422 `check_in_too_far` (with `distance_m`) when far away and no `explanation`. */
    checkIn: (orderId: number, body: CheckInIn) =>
      ok<WorkerOrder>(c.POST('/api/v1/worker/orders/{order_id}/check-in', { ...id(orderId), body })),
    checkOut: (orderId: number) => ok<WorkerOrder>(c.POST('/api/v1/worker/orders/{order_id}/check-out', id(orderId))),
    /** 409 `not_in_service` unless one of my orders is on the way / in service. */
    location: (lat: number, lng: number) => ok<unknown>(c.POST('/api/v1/worker/location', { body: { lat, lng } })),
    /** Oldest first; `url` / `thumb_url` are relative signed links (see `mediaUrl`). Adding one is a multipart upload: `upload.ts`. */
    records: (orderId: number) => ok<ServiceRecord[]>(c.GET('/api/v1/worker/orders/{order_id}/records', id(orderId))),
    /** 201; 409 `schedule_change_closed` (< 12 h before the visit, not accepted) / `schedule_change_pending`; 422 outside 7 days. */
    requestScheduleChange: (body: ScheduleChangeIn) => ok<ScheduleChange>(c.POST('/api/v1/worker/schedule-changes', { body })),
  }
}

export type DispatchApi = ReturnType<typeof dispatchApi>

/** The signed-in user's inbox (any app). */
export function notificationsApi(api: Api) {
  const c = api.raw as unknown as UntypedClient
  return {
    list: (page = 1, pageSize = 20) =>
      ok<NotificationPage>(c.GET('/api/v1/notifications', { params: { query: { page, page_size: pageSize } } })),
    unread: () => ok<{ unread: number }>(c.GET('/api/v1/notifications/unread-count')).then((r) => r.unread ?? 0),
    /** Resolves with the remaining unread count. */
    markRead: (n: Pick<AppNotification, 'id'>) =>
      ok<{ unread: number }>(
        c.POST('/api/v1/notifications/{notification_id}/read', { params: { path: { notification_id: n.id } } }),
      ).then((r) => r.unread ?? 0),
    readAll: () => ok<{ unread: number }>(c.POST('/api/v1/notifications/read-all')).then((r) => r.unread ?? 0),
  }
}

export type NotificationsApi = ReturnType<typeof notificationsApi>
