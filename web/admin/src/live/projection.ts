/**
 * A flat map of the city without tiles: equirectangular projection around a centre,
 * scaled so that a box of `spanKm` fits the panel (tested in __tests__/live.spec.ts).
 */
import type { components } from '@anjia/shared/src/api/schema'
export const CITY_CENTER = { lat: 31.2304, lng: 121.4737 }
const KM_PER_DEG_LAT = 111.32

export interface Projection {
  width: number
  height: number
  center: { lat: number; lng: number }
  /** pixels per km */
  scale: number
  toXY(lat: number, lng: number): { x: number; y: number }
  toLatLng(x: number, y: number): { lat: number; lng: number }
}

export function makeProjection(width: number, height: number, center = CITY_CENTER, spanKm = 40): Projection {
  const kmPerDegLng = KM_PER_DEG_LAT * Math.cos((center.lat * Math.PI) / 180)
  const scale = Math.min(width, height) / spanKm
  return {
    width,
    height,
    center,
    scale,
    toXY(lat, lng) {
      return {
        x: width / 2 + (lng - center.lng) * kmPerDegLng * scale,
        y: height / 2 - (lat - center.lat) * KM_PER_DEG_LAT * scale,
      }
    },
    toLatLng(x, y) {
      return {
        lat: center.lat - (y - height / 2) / scale / KM_PER_DEG_LAT,
        lng: center.lng + (x - width / 2) / scale / kmPerDegLng,
      }
    },
  }
}

/** Smallest span (km, ≥ minKm) around the centre that shows every point, with a margin. */
export function fitSpanKm(points: { lat: number; lng: number }[], center = CITY_CENTER, minKm = 20, margin = 1.25): number {
  const kmPerDegLng = KM_PER_DEG_LAT * Math.cos((center.lat * Math.PI) / 180)
  let half = 0
  for (const p of points) {
    if (!Number.isFinite(p.lat) || !Number.isFinite(p.lng)) continue
    half = Math.max(half, Math.abs(p.lat - center.lat) * KM_PER_DEG_LAT, Math.abs(p.lng - center.lng) * kmPerDegLng)
  }
  return Math.max(minKm, Math.ceil(half * 2 * margin))
}

/** Grid lines every `stepKm` (pixel offsets from 0, both axes), through the centre. */
export function gridLines(p: Projection, stepKm: number): { xs: number[]; ys: number[] } {
  const step = stepKm * p.scale
  const xs: number[] = []
  const ys: number[] = []
  if (step <= 2) return { xs, ys }
  for (let x = p.width / 2 % step; x <= p.width; x += step) xs.push(x)
  for (let y = p.height / 2 % step; y <= p.height; y += step) ys.push(y)
  return { xs, ys }
}

type LiveWorkerOut = components['schemas']['LiveWorkerOut']
/** Live worker row of GET /admin/live/workers (a `worker.location` event moves it before a reload fills the rest). */
export type LiveWorker = Pick<LiveWorkerOut, 'worker_id' | 'nickname' | 'lat' | 'lng'> & Partial<LiveWorkerOut>

/** Apply a `worker.location` event to the list (moves a known worker and takes its ETA and route; unknown → null: reload). */
/** The ETA line of a worker on the way ('' without one): the provider's road time, or marked as the straight-line estimate. */
export function etaText(w: Pick<LiveWorker, 'eta_minutes' | 'eta_source'>, t: (key: string, values: Record<string, unknown>) => string): string {
  if (w.eta_minutes == null || !w.eta_source) return ''
  return t(w.eta_source === 'straight_line' ? 'live.etaLine' : 'live.eta', { n: w.eta_minutes })
}

export function applyLocation(list: LiveWorker[], payload: Record<string, unknown> | undefined): LiveWorker[] | null {
  if (!payload) return list
  const wid = Number(payload.worker_id)
  const lat = Number(payload.lat)
  const lng = Number(payload.lng)
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return list
  const i = list.findIndex((w) => w.worker_id === wid)
  if (i < 0) return null
  const next = list.slice()
  const source = payload.eta_source
  const etaSource = source === 'route' || source === 'cache' || source === 'straight_line' ? source : null
  const onTheWay = etaSource !== null && Number.isFinite(Number(payload.eta_minutes))
  const route = Array.isArray(payload.route) ? (payload.route as unknown[]).filter((p): p is number[] => Array.isArray(p) && p.length === 2) : []
  next[i] = {
    ...next[i],
    lat,
    lng,
    reported_at: new Date().toISOString(),
    eta_minutes: onTheWay ? Number(payload.eta_minutes) : null,
    eta_source: onTheWay ? etaSource : null,
    route,
  }
  return next
}

/** Dispatch-monitor alert from a WS event (null: not an alert). */
export interface LiveAlert {
  id: string
  type: AlertType
  orderId: number
  number?: string
  distanceM?: number
  /** minutes late (late_start) or over the planned end (overrun) */
  minutes?: number
  explanation?: string
  at: string
}

export const ALERT_TYPES = ['dispatch_failed', 'far_check_in', 'late_start', 'overrun'] as const
export type AlertType = (typeof ALERT_TYPES)[number]

/** el-alert type of each alert: failures are errors, the rest warnings. */
export function alertLevel(type: AlertType): 'error' | 'warning' {
  return type === 'dispatch_failed' || type === 'overrun' ? 'error' : 'warning'
}

export function alertFromEvent(e: { id?: number; type?: string; payload?: Record<string, unknown>; created_at?: unknown }): LiveAlert | null {
  const type = typeof e.type === 'string' && e.type.startsWith('alert.') ? (e.type.slice(6) as AlertType) : null
  if (!type || !ALERT_TYPES.includes(type)) return null
  const p = e.payload || {}
  const minutes = type === 'late_start' ? p.minutes_late : type === 'overrun' ? p.minutes_over : undefined
  return {
    id: String(e.id ?? `${e.type}-${p.order_id}-${Date.now()}`),
    type,
    minutes: typeof minutes === 'number' ? Math.round(minutes) : undefined,
    orderId: Number(p.order_id),
    number: typeof p.number === 'string' ? p.number : undefined,
    distanceM: typeof p.distance_m === 'number' ? p.distance_m : undefined,
    explanation: typeof p.explanation === 'string' ? p.explanation : undefined,
    at: typeof e.created_at === 'string' ? e.created_at : new Date().toISOString(),
  }
}

/** Add an alert on top, skipping duplicates (an event reaches staff on several topics). */
export function pushAlert(list: LiveAlert[], a: LiveAlert, max = 50): LiveAlert[] {
  if (list.some((x) => x.type === a.type && x.orderId === a.orderId && Math.abs(Date.parse(x.at) - Date.parse(a.at)) < 5000)) return list
  return [a, ...list].slice(0, max)
}
