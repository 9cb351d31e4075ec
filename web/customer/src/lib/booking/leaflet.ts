/**
 * H5 maps on Leaflet (issue 13 item 3): the order tracking map and the address picker share this setup — a Leaflet map
 * over the tile template from GET /config (MAP_TILES_URL: GCJ-02 raster tiles, so our GCJ-02 points sit on their roads).
 * Import it only inside `#ifdef H5`: Leaflet needs the DOM and stays out of the mini program bundle.
 */
import 'leaflet/dist/leaflet.css'
import L from 'leaflet'
import type { components } from '@anjia/shared/src/api/schema'
import { useBooking } from '../api'

export type ClientConfig = components['schemas']['ClientConfig']

let config: Promise<ClientConfig | null> | null = null

/** GET /config, once per page load; null when it fails (no tiles: each caller's offline look). */
export function mapConfig(): Promise<ClientConfig | null> {
  config ??= useBooking()
    .clientConfig()
    .catch(() => null)
  return config
}

/** A Leaflet map in `el`; the configured tiles are added once /config answers (`tiles`: whether there are any). */
export function createMap(el: HTMLElement, options: L.MapOptions = {}): { map: L.Map; tiles: Promise<boolean> } {
  const map = L.map(el, { attributionControl: true, ...options })
  const tiles = mapConfig().then((c) => {
    if (!c?.map_tiles_url) return false
    L.tileLayer(c.map_tiles_url, {
      subdomains: c.map_tiles_subdomains ? c.map_tiles_subdomains.split('') : 'abc',
      attribution: c.map_tiles_attribution,
      maxZoom: 18,
    }).addTo(map)
    return true
  })
  return { map, tiles }
}

// inline styles: uni-app scopes component styles in H5, and Leaflet builds its icons outside the templates
const PIN_STYLE = 'width:16px;height:16px;box-sizing:border-box;border-radius:50% 50% 50% 0;background:#f0502e;border:2px solid #fff;transform:rotate(-45deg);box-shadow:0 1px 3px rgba(0,0,0,.3)'

/** The address pin (a teardrop whose tip is the point). */
export function pinIcon(testId = ''): L.DivIcon {
  const id = testId ? ` data-testid="${testId}"` : ''
  return L.divIcon({ className: '', html: `<div${id} style="${PIN_STYLE}"></div>`, iconSize: [16, 16], iconAnchor: [8, 16] })
}

export { L }
