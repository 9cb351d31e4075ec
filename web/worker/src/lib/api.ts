import { ok, type Api } from '@anjia/shared/src/api/client'
import type { CheckInIn, LeaveIn, RejectIn, ScheduleChangeIn, WeeklyRange, WorkerOrderScope, WorkerSettingsIn } from './types'

export { notificationsApi, type NotificationsApi } from '@anjia/shared/src/api/notifications'

/** Worker availability calls over the shared client (auth, refresh and problems included). */
export function workerApi(api: Api) {
  const c = api.raw
  return {
    get: () => ok(c.GET('/api/v1/worker/availability')),
    /** Replaces the whole week; resolves with the updated availability. */
    putWeekly: (weekly: WeeklyRange[]) => ok(c.PUT('/api/v1/worker/availability/weekly', { body: { weekly } })),
    update: (body: WorkerSettingsIn) => ok(c.PATCH('/api/v1/worker/availability', { body })),
    /** 201 with the updated availability (its `leaves` include the new one). */
    addLeave: (body: LeaveIn) => ok(c.POST('/api/v1/worker/leaves', { body })),
    /** 204 */
    deleteLeave: (leaveId: number) =>
      ok(c.DELETE('/api/v1/worker/leaves/{leave_id}', { params: { path: { leave_id: leaveId } } })),
    regions: () => ok(c.GET('/api/v1/regions')),
  }
}

export type WorkerApi = ReturnType<typeof workerApi>

/** Offers and service execution (docs/api.md, "# Dispatch and service execution"). */
export function dispatchApi(api: Api) {
  const c = api.raw
  const id = (orderId: number) => ({ params: { path: { order_id: orderId } } })
  return {
    offers: () => ok(c.GET('/api/v1/worker/offers')),
    orders: (scope: WorkerOrderScope) => ok(c.GET('/api/v1/worker/orders', { params: { query: { scope } } })),
    order: (orderId: number) => ok(c.GET('/api/v1/worker/orders/{order_id}', id(orderId))),
    /** 409 `offer_taken` / `offer_expired` when someone else won or the offer ran out. */
    accept: (orderId: number) => ok(c.POST('/api/v1/worker/orders/{order_id}/accept', id(orderId))),
    /** 204 */
    reject: (orderId: number, body: RejectIn) =>
      ok(c.POST('/api/v1/worker/orders/{order_id}/reject', { ...id(orderId), body: { reason: '', ...body } })),
    depart: (orderId: number) => ok(c.POST('/api/v1/worker/orders/{order_id}/depart', id(orderId))),
    /** 422 `check_in_too_far` (with `distance_m`) when far away and no `explanation`. */
    checkIn: (orderId: number, body: CheckInIn) =>
      ok(c.POST('/api/v1/worker/orders/{order_id}/check-in', { ...id(orderId), body })),
    checkOut: (orderId: number) => ok(c.POST('/api/v1/worker/orders/{order_id}/check-out', id(orderId))),
    /** 409 `not_in_service` unless one of my orders is on the way / in service. */
    location: (lat: number, lng: number) => ok(c.POST('/api/v1/worker/location', { body: { lat, lng } })),
    /** Oldest first; `url` / `thumb_url` are relative signed links (see `mediaUrl`). Adding one is a multipart upload: `upload.ts`. */
    records: (orderId: number) => ok(c.GET('/api/v1/worker/orders/{order_id}/records', id(orderId))),
    /** 201; 409 `schedule_change_closed` (< 12 h before the visit, not accepted) / `schedule_change_pending`; 422 outside 7 days. */
    requestScheduleChange: (body: ScheduleChangeIn) => ok(c.POST('/api/v1/worker/schedule-changes', { body })),
  }
}

export type DispatchApi = ReturnType<typeof dispatchApi>
