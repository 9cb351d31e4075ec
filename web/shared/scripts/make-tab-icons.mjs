// Draws the tab-bar icons as PNGs (no dependencies): node make-tab-icons.mjs <outDir> name...
import { writeFileSync, mkdirSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { join } from 'node:path'

const S = 81 // px (WeChat recommends 81x81)
const SS = 4 // supersampling

function crc32(buf) {
  let c, crc = 0xffffffff
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crc = (crc >>> 8) ^ c
  }
  return (crc ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type), data])
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
function png(rgba) {
  const raw = Buffer.alloc((S * 4 + 1) * S)
  for (let y = 0; y < S; y++) { raw[y * (S * 4 + 1)] = 0; rgba.copy(raw, y * (S * 4 + 1) + 1, y * S * 4, (y + 1) * S * 4) }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(S, 0); ihdr.writeUInt32BE(S, 4); ihdr[8] = 8; ihdr[9] = 6
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

// shape helpers in a 0..24 coordinate space (like a 24px icon); return true if inside the stroke/fill
const dist = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax, dy = by - ay
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)))
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy))
}
const line = (pts, w) => (x, y) => { for (let i = 0; i < pts.length - 1; i++) if (dist(x, y, ...pts[i], ...pts[i + 1]) <= w / 2) return true; return false }
const rrect = (x0, y0, x1, y1, r, w) => (x, y) => {
  const cx = Math.max(x0 + r, Math.min(x1 - r, x)), cy = Math.max(y0 + r, Math.min(y1 - r, y))
  const d = Math.hypot(x - cx, y - cy) - r
  const inside = x >= x0 && x <= x1 && y >= y0 && y <= y1 && d <= 0
  if (w === 0) return inside || d <= 0
  return Math.abs(d) <= w / 2 && (d > -w / 2)
}
const circle = (cx, cy, r, w) => (x, y) => { const d = Math.hypot(x - cx, y - cy) - r; return w === 0 ? d <= 0 : Math.abs(d) <= w / 2 }
const arc = (cx, cy, r, w, from, to) => (x, y) => { const a = Math.atan2(y - cy, x - cx); return a >= from && a <= to && Math.abs(Math.hypot(x - cx, y - cy) - r) <= w / 2 }
const any = (...fs) => (x, y) => fs.some((f) => f(x, y))

const W = 1.8
const ICONS = {
  home: any(line([[3, 11], [12, 3.5], [21, 11]], W), line([[5.5, 9.5], [5.5, 20.5], [18.5, 20.5], [18.5, 9.5]], W), line([[10, 20.5], [10, 14.5], [14, 14.5], [14, 20.5]], W)),
  orders: any(rrect(4.5, 3, 19.5, 21, 2.5, W), line([[8, 8.5], [16, 8.5]], W), line([[8, 12.5], [16, 12.5]], W), line([[8, 16.5], [12.5, 16.5]], W)),
  me: any(circle(12, 8, 4, W), arc(12, 21.5, 8, W, -Math.PI, 0)),
  jobs: any(rrect(3, 7.5, 21, 20, 2.5, W), line([[9, 7.5], [9, 4.5], [15, 4.5], [15, 7.5]], W), line([[3, 12.5], [21, 12.5]], W), line([[12, 11.5], [12, 14]], W + 0.6)),
  schedule: any(rrect(3.5, 5, 20.5, 20.5, 2.5, W), line([[3.5, 10], [20.5, 10]], W), line([[8, 3], [8, 7]], W), line([[16, 3], [16, 7]], W), circle(8.5, 14.5, 1.1, 0), circle(12, 14.5, 1.1, 0), circle(15.5, 14.5, 1.1, 0)),
}

function draw(shape, [r, g, b]) {
  const buf = Buffer.alloc(S * S * 4)
  const pad = 7 // px margin
  const scale = (S - 2 * pad) / 24
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      let hit = 0
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const ux = (x + (sx + 0.5) / SS - pad) / scale, uy = (y + (sy + 0.5) / SS - pad) / scale
          if (shape(ux, uy)) hit++
        }
      const i = (y * S + x) * 4
      buf[i] = r; buf[i + 1] = g; buf[i + 2] = b; buf[i + 3] = Math.round((255 * hit) / (SS * SS))
    }
  return png(buf)
}

const [outDir, ...names] = process.argv.slice(2)
mkdirSync(outDir, { recursive: true })
for (const n of names) {
  writeFileSync(join(outDir, `${n}.png`), draw(ICONS[n], [0x8a, 0x93, 0xa6]))
  writeFileSync(join(outDir, `${n}-active.png`), draw(ICONS[n], [0x4d, 0x80, 0xf0]))
}
console.log(`wrote ${names.length * 2} icons to ${outDir}`)
