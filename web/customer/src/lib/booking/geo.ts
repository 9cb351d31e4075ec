/** Web-Mercator helpers for the simple H5 map (grid or optional tiles). */
export interface LatLng {
  lat: number
  lng: number
}

/** 上海市中心 (人民广场), the demo city's centre. */
export const DEFAULT_CENTER: LatLng = { lat: 31.2304, lng: 121.4737 }
const TILE = 256

export function project(p: LatLng, zoom: number): { x: number; y: number } {
  const size = TILE * 2 ** zoom
  const s = Math.sin((Math.max(-85, Math.min(85, p.lat)) * Math.PI) / 180)
  return {
    x: ((p.lng + 180) / 360) * size,
    y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size,
  }
}

export function unproject(x: number, y: number, zoom: number): LatLng {
  const size = TILE * 2 ** zoom
  const lng = (x / size) * 360 - 180
  const n = Math.PI - (2 * Math.PI * y) / size
  const lat = (180 / Math.PI) * Math.atan(Math.sinh(n))
  return { lat, lng }
}

/** The point under view pixel (px, py) of a w×h view centred on `center`. */
export function pointAt(center: LatLng, zoom: number, w: number, h: number, px: number, py: number): LatLng {
  const c = project(center, zoom)
  const p = unproject(c.x + px - w / 2, c.y + py - h / 2, zoom)
  return { lat: round6(p.lat), lng: round6(p.lng) }
}

/** View pixel of `p` in a w×h view centred on `center`. */
export function pixelOf(center: LatLng, zoom: number, w: number, h: number, p: LatLng): { x: number; y: number } {
  const c = project(center, zoom)
  const q = project(p, zoom)
  return { x: q.x - c.x + w / 2, y: q.y - c.y + h / 2 }
}

/** Tiles covering the view: `template` like "https://tile.example/{z}/{x}/{y}.png". */
export function tilesFor(template: string, center: LatLng, zoom: number, w: number, h: number) {
  const c = project(center, zoom)
  const left = c.x - w / 2
  const top = c.y - h / 2
  const n = 2 ** zoom
  const out: { url: string; left: number; top: number }[] = []
  for (let tx = Math.floor(left / TILE); tx <= Math.floor((left + w) / TILE); tx++) {
    for (let ty = Math.floor(top / TILE); ty <= Math.floor((top + h) / TILE); ty++) {
      if (ty < 0 || ty >= n) continue
      const x = ((tx % n) + n) % n
      out.push({
        url: template.replace('{z}', String(zoom)).replace('{x}', String(x)).replace('{y}', String(ty)),
        left: tx * TILE - left,
        top: ty * TILE - top,
      })
    }
  }
  return out
}

/** Approximate distance in km (haversine). */
export function distanceKm(a: LatLng, b: LatLng): number {
  const R = 6371
  const dLat = ((b.lat - a.lat) * Math.PI) / 180
  const dLng = ((b.lng - a.lng) * Math.PI) / 180
  const s = Math.sin(dLat / 2) ** 2 + Math.cos((a.lat * Math.PI) / 180) * Math.cos((b.lat * Math.PI) / 180) * Math.sin(dLng / 2) ** 2
  return 2 * R * Math.asin(Math.sqrt(s))
}

function round6(n: number) {
  return Math.round(n * 1e6) / 1e6
}
