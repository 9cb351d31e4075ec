/**
 * Worker availability (docs/api.md, "# Booking (issue 4)" → "Worker availability (worker)").
 * Local types until the backend's schemas are in openapi.json / schema.d.ts.
 */
import type { Schemas } from '../api/client'

/** Monday = 0 … Sunday = 6; times are local wall-clock "HH:MM" ("24:00" allowed as an end). */
export interface WeeklyRange {
  weekday: number
  start: string
  end: string
}

/** `start`/`end` ISO 8601 with offset (UTC on output). */
export interface WorkerLeave {
  id: number
  start: string
  end: string
  reason: string
}

export interface WorkerAvailability {
  region_id: number | null
  skills: string[]
  home_lat: number | null
  home_lng: number | null
  radius_km: number
  weekly: WeeklyRange[]
  leaves: WorkerLeave[]
}

export interface WeeklyIn {
  weekly: WeeklyRange[]
}

export interface WorkerSettingsIn {
  radius_km?: number
  home_lat?: number
  home_lng?: number
  region_id?: number
}

export interface LeaveIn {
  start: string
  end: string
  reason: string
}

/** `GET /regions` item (public). */
export interface RegionSummary {
  id: number
  name: string
  city: string
  timezone: string
  center_lat: number
  center_lng: number
  radius_km: number
  opens: string
  closes: string
  active: boolean
}

/* ---- Dispatch and service execution (docs/api.md, "# Dispatch and service execution (issue 5)") ---- */

export interface ServiceRef {
  id: number
  name: string
  pricing_kind: string
}

export interface Requirement {
  label: string
  value: string
}

/** `GET /worker/offers` item. Money in fen; times ISO 8601. */
export interface Offer {
  id: number
  order_id: number
  number: string
  service: ServiceRef
  start: string
  end: string
  duration_minutes: number
  address_text: string
  district: string
  distance_km: number | null
  lat: number
  lng: number
  requirements: Requirement[]
  notes: string
  expected_pay: number
  expires_at: string
  round: number
}

export type WorkerOrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'dispatch_failed'
  | 'accepted'
  | 'on_the_way'
  | 'in_service'
  | 'completed'
  | 'cancelled'

export interface WorkerOrderAddress {
  text?: string
  address_text?: string
  district?: string
  detail?: string
  lat: number
  lng: number
  [k: string]: unknown
}

export interface TimelineEntry {
  /** event type: `accepted`, `departed`, `schedule_change_requested`, `rescheduled`, … */
  type?: string
  at?: string
  status?: string
  label?: string
  data?: Record<string, unknown>
  [k: string]: unknown
}

/** `GET /worker/orders/{id}` (also the answer of accept / depart / check-in / check-out). */
export interface WorkerOrder {
  id: number
  number: string
  status: WorkerOrderStatus | string
  status_label: string
  service: ServiceRef
  start: string
  end: string
  duration_minutes: number
  address: WorkerOrderAddress
  customer: { nickname: string; phone: string }
  requirements: Requirement[]
  notes: string
  expected_pay: number
  /** My offer for this order, if any: "offered" while open. */
  offer_status?: string | null
  offer_expires_at?: string | null
  checked_in_at: string | null
  checked_out_at: string | null
  timeline: TimelineEntry[]
  navigation: { amap?: string; tencent?: string; apple?: string } | null
  /** After check-out. */
  final_total?: number | null
  final_price?: number | null
  price_difference?: number | null
  distance_km?: number | null
}

export type RejectReasonCode = 'too_far' | 'busy' | 'skill' | 'price' | 'other'

export interface RejectIn {
  reason_code: RejectReasonCode
  reason?: string
}

export interface CheckInIn {
  lat: number
  lng: number
  explanation?: string
}

export type WorkerOrderScope = 'upcoming' | 'today' | 'done'

/** A frame of `WS /api/v1/ws`: events carry `id`, `topic`, `type`, `payload`; the server also sends `{type: "ready"}`. */
export interface RealtimeEvent {
  id?: number
  topic?: string
  type: string
  payload?: Record<string, unknown>
  [k: string]: unknown
}

/* ---- Service records, schedule changes, notifications (schemas in openapi.json) ---- */

export type RecordStage = 'before' | 'during' | 'after'
/** `GET /worker/orders/{id}/records` item; `url` / `thumb_url` are relative signed links. */
export type ServiceRecord = Schemas['RecordOut']
export type ScheduleChangeIn = Schemas['ScheduleChangeIn']
export type ScheduleChange = Schemas['ScheduleChangeOut']
export type AppNotification = Schemas['NotificationOut']
export type NotificationPage = Schemas['NotificationPage']
