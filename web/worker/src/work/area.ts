/** Service area (radius + home location): pure helpers (tests/area.test.ts). */
import type { WorkerSettingsIn } from '../lib/types'

/** 上海市中心 (人民广场), the H5 shortcut for the home location. */
export const CITY_CENTER = { lat: 31.2304, lng: 121.4737 }
export const RADIUS_MIN = 1
export const RADIUS_MAX = 30  // the server's limit (workers serve within 30 km)

export function clampRadius(km: number | null | undefined): number {
  if (km == null) return 10
  const n = Math.round(Number(km))
  if (!Number.isFinite(n)) return 10
  return Math.max(RADIUS_MIN, Math.min(RADIUS_MAX, n))
}

export function isCityCenter(lat: number, lng: number): boolean {
  return Math.abs(lat - CITY_CENTER.lat) < 1e-4 && Math.abs(lng - CITY_CENTER.lng) < 1e-4
}

/** `PATCH /worker/availability` body; the location only when both coordinates are known (region: operators only). */
export function settingsBody(radiusKm: number, lat: number | null, lng: number | null): WorkerSettingsIn {
  const body: WorkerSettingsIn = { radius_km: clampRadius(radiusKm) }
  if (lat != null && lng != null) {
    body.home_lat = Math.round(lat * 1e6) / 1e6
    body.home_lng = Math.round(lng * 1e6) / 1e6
  }
  return body
}
