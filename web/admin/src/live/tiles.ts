/** The server's map settings (GET /api/v1/config): a Leaflet tile template in GCJ-02 or none (the tile-free grid). */
import type { components } from '@anjia/shared/src/api/schema'
import { api } from '../api/client'

export type ClientConfig = components['schemas']['ClientConfig']

let cached: Promise<ClientConfig | null> | null = null

/** Read once per page load; a failure counts as "no tiles" (the grid still works offline). */
export function loadClientConfig(): Promise<ClientConfig | null> {
  cached ??= api
    .GET('/api/v1/config')
    .then(({ data }) => data ?? null)
    .catch(() => null)
  return cached
}

/** Leaflet tile-layer options from the settings (subdomains "1234" → ['1','2','3','4']). */
export function tileOptions(cfg: ClientConfig): { subdomains: string[] | string; attribution: string; maxZoom: number } {
  return { subdomains: cfg.map_tiles_subdomains ? cfg.map_tiles_subdomains.split('') : 'abc', attribution: cfg.map_tiles_attribution, maxZoom: 18 }
}

export interface MapPoint {
  lat: number
  lng: number
}

/** Bounds around every point (null: none), for fitBounds. */
export function boundsOf(points: MapPoint[]): [[number, number], [number, number]] | null {
  const ok = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lng))
  if (!ok.length) return null
  const lats = ok.map((p) => p.lat)
  const lngs = ok.map((p) => p.lng)
  return [
    [Math.min(...lats), Math.min(...lngs)],
    [Math.max(...lats), Math.max(...lngs)],
  ]
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** HTML of a worker's marker: the same element and test ids as the grid's; `eta`: the driving time while on the way. */
export function workerMarkerHtml(
  w: { worker_id: number; nickname: string; status?: string | null; order_id?: number | null },
  selected: boolean,
  eta = '',
): string {
  const cls = ['live-worker', `st-${w.status ?? ''}`, selected ? 'is-selected' : ''].join(' ')
  const etaHtml = eta ? ` <span class="live-worker__eta" data-testid="live-marker-eta">${esc(eta)}</span>` : ''
  return `<div class="${esc(cls)}" data-testid="live-worker" data-worker-id="${w.worker_id}" data-status="${esc(w.status ?? '')}">${esc(w.nickname)}${etaHtml}</div>`
}
