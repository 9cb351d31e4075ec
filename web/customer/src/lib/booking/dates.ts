/** Calendar helpers in Asia/Shanghai (UTC+8, no DST) — the demo region's zone. */
const SH = 8 * 3600 * 1000
const p2 = (n: number) => String(n).padStart(2, '0')

/** "YYYY-MM-DD" of `now` in Asia/Shanghai. */
export function todayShanghai(now: Date = new Date()): string {
  const s = new Date(now.getTime() + SH)
  return `${s.getUTCFullYear()}-${p2(s.getUTCMonth() + 1)}-${p2(s.getUTCDate())}`
}

export function addDays(date: string, n: number): string {
  const t = Date.parse(date + 'T00:00:00Z') + n * 86400000
  const d = new Date(t)
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`
}

/** 0 = Sunday … 6 of a calendar date. */
export function weekdayOf(date: string): number {
  return new Date(date + 'T00:00:00Z').getUTCDay()
}

/** The first date strictly after `from` that falls on weekday `wd` (0 = Sunday). */
export function nextWeekday(from: string, wd: number): string {
  let d = addDays(from, 1)
  while (weekdayOf(d) !== wd) d = addDays(d, 1)
  return d
}

/** "14:00" of an ISO instant in Asia/Shanghai. */
export function shanghaiTime(iso: string): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return ''
  const s = new Date(t + SH)
  return `${p2(s.getUTCHours())}:${p2(s.getUTCMinutes())}`
}

/** "YYYY-MM-DD" of an ISO instant in Asia/Shanghai. */
export function shanghaiDate(iso: string): string {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? '' : todayShanghai(new Date(t))
}

/** ISO instant with +08:00 for a local Shanghai date and "HH:MM". */
export function shanghaiIso(date: string, time: string): string {
  return `${date}T${time.length === 5 ? time + ':00' : time}+08:00`
}

/** Whole seconds from now until `iso` (0 when past). */
export function secondsUntil(iso: string | null | undefined, now: number = Date.now()): number {
  if (!iso) return 0
  const t = Date.parse(iso)
  return Number.isNaN(t) ? 0 : Math.max(0, Math.floor((t - now) / 1000))
}

/** "14:59" or "1:02:03" for a countdown. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  return h ? `${h}:${p2(m)}:${p2(r)}` : `${p2(m)}:${p2(r)}`
}
