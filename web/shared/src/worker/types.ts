/**
 * Worker availability (docs/api.md, "# Booking (issue 4)" → "Worker availability (worker)").
 * Local types until the backend's schemas are in openapi.json / schema.d.ts.
 */

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
