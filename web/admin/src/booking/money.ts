/** Money is integer fen on the wire; the UI shows and edits 元. Percent ↔ basis points likewise. */

/** 1250 → "¥12.50"; -500 → "-¥5.00"; null → "—". */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || Number.isNaN(fen)) return '—'
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.round(fen))
  const yuan = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  return `${sign}¥${yuan.toLocaleString('en-US')}.${cents}`
}

/** A whole count of hundredths (fen, basis points) → the unit (yuan, %): 1250 → 12.5. */
function fromHundredths(n: number | null | undefined): number | null {
  if (n === null || n === undefined || Number.isNaN(n)) return null
  return Math.round(n) / 100
}

/** The unit → hundredths, rounded to the nearest one (0.29 → 29, not 28). Empty → null. */
function toHundredths(x: number | string | null | undefined): number | null {
  if (x === null || x === undefined || x === '') return null
  const n = typeof x === 'number' ? x : Number(String(x).trim())
  if (!Number.isFinite(n)) return null
  return Math.round(Number((n * 100).toFixed(4)))
}

/** 1250 → 12.5 (for el-input-number). */
export const fenToYuan = fromHundredths

/** 12.5 / "12.50" → 1250; rounds to the nearest fen (0.29 → 29, not 28). Empty → null. */
export const yuanToFen = toHundredths

/** 5000 bp → 50 (%). */
export const bpToPercent = fromHundredths

/** 12.5 (%) → 1250 bp. Empty → null. */
export const percentToBp = toHundredths

export const SHANGHAI = 'Asia/Shanghai'

/** An ISO instant shown as wall-clock time in a zone (default Asia/Shanghai): "2026-05-01 14:00". */
export function formatZoned(iso: string | null | undefined, timeZone: string = SHANGHAI, withSeconds = false): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).formatToParts(d)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  const time = `${get('hour')}:${get('minute')}${withSeconds ? ':' + get('second') : ''}`
  return `${get('year')}-${get('month')}-${get('day')} ${time}`
}

/** Wall-clock time only ("14:00") in a zone. */
export function formatZonedTime(iso: string | null | undefined, timeZone: string = SHANGHAI): string {
  const s = formatZoned(iso, timeZone)
  return s.length > 11 ? s.slice(11) : s
}

/** A wall-clock "YYYY-MM-DDTHH:mm:ss" picked in the console, as an ISO instant in Asia/Shanghai (UTC+8, no DST). */
export function shanghaiWallToIso(local: string): string {
  const s = local.length === 16 ? `${local}:00` : local
  return `${s.replace(' ', 'T')}+08:00`
}
