/** Money in fen (integer) → "¥12.50". */
export function formatMoney(fen: number | null | undefined): string {
  if (fen == null || !Number.isFinite(fen)) return '¥0.00'
  const neg = fen < 0
  const abs = Math.abs(Math.round(fen))
  const yuan = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${neg ? '-' : ''}¥${grouped}.${cents}`
}

/** "13800000001" → "138****0001"; already-masked or short values are returned unchanged. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return ''
  if (/^\d{11}$/.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(7)}`
  return phone
}

const SH_OFFSET_MS = 8 * 3600 * 1000 // Asia/Shanghai has no DST

function shanghaiParts(input: string | number | Date) {
  const d = input instanceof Date ? input : new Date(input)
  const t = d.getTime()
  if (Number.isNaN(t)) return null
  const s = new Date(t + SH_OFFSET_MS)
  return {
    y: s.getUTCFullYear(),
    m: s.getUTCMonth() + 1,
    d: s.getUTCDate(),
    hh: s.getUTCHours(),
    mm: s.getUTCMinutes(),
    wd: s.getUTCDay(),
  }
}

const p2 = (n: number) => String(n).padStart(2, '0')

/** "2026-11-03" in Asia/Shanghai. */
export function formatDate(input: string | number | Date): string {
  const p = shanghaiParts(input)
  return p ? `${p.y}-${p2(p.m)}-${p2(p.d)}` : ''
}

/** "2026-11-03 14:05" in Asia/Shanghai. */
export function formatDateTime(input: string | number | Date): string {
  const p = shanghaiParts(input)
  return p ? `${p.y}-${p2(p.m)}-${p2(p.d)} ${p2(p.hh)}:${p2(p.mm)}` : ''
}

/** Hour of day 0 … 23 in Asia/Shanghai (greetings follow the customer's city, not the device clock). */
export function shanghaiHour(input: string | number | Date = new Date()): number {
  return shanghaiParts(input)?.hh ?? 0
}

/** Day of week 0 (Sunday) … 6 in Asia/Shanghai. */
export function shanghaiWeekday(input: string | number | Date): number {
  return shanghaiParts(input)?.wd ?? 0
}

/** The 7 dates (YYYY-MM-DD, Asia/Shanghai) of the week starting Monday that contains `now`. */
export function weekDates(now: Date = new Date()): string[] {
  const wd = shanghaiWeekday(now)
  const monday = now.getTime() - ((wd + 6) % 7) * 86400000
  return Array.from({ length: 7 }, (_, i) => formatDate(monday + i * 86400000))
}
