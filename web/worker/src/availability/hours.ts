/**
 * Weekly working-hours editor: pure logic (tested in tests/hours.test.ts).
 * API weekdays are Monday = 0 … Sunday = 6; times are local "HH:MM" on a 30-minute grid, "24:00" = midnight.
 */
import type { WeeklyRange } from '../lib/types'

export const STEP_MINUTES = 30
export const DAY_MINUTES = 24 * 60

export interface TimeRange {
  start: string
  end: string
}

export interface DayRow {
  weekday: number
  on: boolean
  ranges: TimeRange[]
}

export type RangeErrorCode = 'order' | 'overlap' | 'grid' | 'empty'

export interface RangeError {
  weekday: number
  /** index of the range in the row; -1 for a row-level error */
  index: number
  code: RangeErrorCode
}

export const DEFAULT_RANGE: TimeRange = { start: '08:00', end: '18:00' }

const p2 = (n: number) => String(n).padStart(2, '0')

/** "08:30" → 510; "24:00" → 1440; anything else → NaN. */
export function toMinutes(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm || '')
  if (!m) return NaN
  const h = Number(m[1])
  const min = Number(m[2])
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return NaN
  return h * 60 + min
}

/** 510 → "08:30"; 1440 → "24:00". */
export function fromMinutes(minutes: number): string {
  const m = Math.max(0, Math.min(DAY_MINUTES, Math.round(minutes)))
  return `${p2(Math.floor(m / 60))}:${p2(m % 60)}`
}

/** Picker choices: 00:00 … 23:30 for starts, 00:30 … 24:00 for ends. */
export function timeOptions(kind: 'start' | 'end'): string[] {
  const out: string[] = []
  const first = kind === 'start' ? 0 : STEP_MINUTES
  const last = kind === 'start' ? DAY_MINUTES - STEP_MINUTES : DAY_MINUTES
  for (let m = first; m <= last; m += STEP_MINUTES) out.push(fromMinutes(m))
  return out
}

/** Round a time to the grid (used when the server sends something off-grid). */
export function snap(hhmm: string): string {
  const m = toMinutes(hhmm)
  if (Number.isNaN(m)) return hhmm
  return fromMinutes(Math.round(m / STEP_MINUTES) * STEP_MINUTES)
}

function byStart(a: TimeRange, b: TimeRange) {
  return toMinutes(a.start) - toMinutes(b.start)
}

/** Seven rows Monday…Sunday from the API's weekly list; days without ranges are off (with a default range ready). */
export function rowsFromWeekly(weekly: WeeklyRange[] | null | undefined): DayRow[] {
  return Array.from({ length: 7 }, (_, weekday) => {
    const ranges = (weekly || [])
      .filter((r) => r.weekday === weekday)
      .map((r) => ({ start: r.start, end: r.end }))
      .sort(byStart)
    return { weekday, on: ranges.length > 0, ranges: ranges.length ? ranges : [{ ...DEFAULT_RANGE }] }
  })
}

/** The `PUT /worker/availability/weekly` list: ranges of the days that are on, sorted by day and start. */
export function weeklyFromRows(rows: DayRow[]): WeeklyRange[] {
  const out: WeeklyRange[] = []
  for (const row of [...rows].sort((a, b) => a.weekday - b.weekday)) {
    if (!row.on) continue
    for (const r of [...row.ranges].sort(byStart)) out.push({ weekday: row.weekday, start: r.start, end: r.end })
  }
  return out
}

export function weeklyBody(rows: DayRow[]): { weekly: WeeklyRange[] } {
  return { weekly: weeklyFromRows(rows) }
}

/** Problems of the days that are on: off-grid times, end not after start, overlapping ranges. */
export function validateRows(rows: DayRow[]): RangeError[] {
  const errors: RangeError[] = []
  for (const row of rows) {
    if (!row.on) continue
    if (!row.ranges.length) {
      errors.push({ weekday: row.weekday, index: -1, code: 'empty' })
      continue
    }
    row.ranges.forEach((r, index) => {
      const s = toMinutes(r.start)
      const e = toMinutes(r.end)
      if (Number.isNaN(s) || Number.isNaN(e) || s % STEP_MINUTES || e % STEP_MINUTES || s >= DAY_MINUTES) {
        errors.push({ weekday: row.weekday, index, code: 'grid' })
      } else if (e <= s) {
        errors.push({ weekday: row.weekday, index, code: 'order' })
      }
    })
    // overlaps among the well-formed ranges (touching ends are fine: 08:00-12:00 + 12:00-18:00)
    const bad = new Set(errors.filter((x) => x.weekday === row.weekday).map((x) => x.index))
    row.ranges.forEach((a, i) => {
      if (bad.has(i)) return
      const overlaps = row.ranges.some((b, j) => {
        if (j === i || bad.has(j)) return false
        return toMinutes(a.start) < toMinutes(b.end) && toMinutes(b.start) < toMinutes(a.end)
      })
      if (overlaps) errors.push({ weekday: row.weekday, index: i, code: 'overlap' })
    })
  }
  return errors
}

export function errorFor(errors: RangeError[], weekday: number, index: number): RangeError | undefined {
  return errors.find((e) => e.weekday === weekday && e.index === index)
}

export type PresetName = 'weekdays' | 'everyday'

export const PRESETS: Record<PresetName, { days: number[]; range: TimeRange }> = {
  /** 工作日 8:00-18:00: Monday–Friday on, weekend off */
  weekdays: { days: [0, 1, 2, 3, 4], range: { start: '08:00', end: '18:00' } },
  /** 每天 8:00-20:00 */
  everyday: { days: [0, 1, 2, 3, 4, 5, 6], range: { start: '08:00', end: '20:00' } },
}

export function applyPreset(name: PresetName): DayRow[] {
  const p = PRESETS[name]
  return Array.from({ length: 7 }, (_, weekday) => ({
    weekday,
    on: p.days.includes(weekday),
    ranges: [{ ...p.range }],
  }))
}

/** The next free slot of a day for "add range": one hour after the last end, two hours long, clamped; null if full. */
export function nextRange(row: DayRow): TimeRange | null {
  if (!row.ranges.length) return { ...DEFAULT_RANGE }
  const lastEnd = Math.max(...row.ranges.map((r) => toMinutes(r.end)).filter((m) => !Number.isNaN(m)))
  if (!Number.isFinite(lastEnd) || lastEnd >= DAY_MINUTES) {
    // maybe there is room before the first range
    const firstStart = Math.min(...row.ranges.map((r) => toMinutes(r.start)).filter((m) => !Number.isNaN(m)))
    if (Number.isFinite(firstStart) && firstStart >= 2 * STEP_MINUTES) {
      return { start: fromMinutes(Math.max(0, firstStart - 4 * STEP_MINUTES)), end: fromMinutes(firstStart - STEP_MINUTES) }
    }
    return null
  }
  const start = Math.min(lastEnd + 2 * STEP_MINUTES, DAY_MINUTES - STEP_MINUTES)
  const end = Math.min(start + 4 * STEP_MINUTES, DAY_MINUTES)
  if (start < lastEnd) return null
  return { start: fromMinutes(start), end: fromMinutes(end) }
}

/** "08:00-12:00、13:00-18:00" */
export function formatRanges(ranges: TimeRange[], sep = '、'): string {
  return [...ranges].sort(byStart).map((r) => `${r.start}-${r.end}`).join(sep)
}

/** Total hours per week of the days that are on (valid ranges only). */
export function weeklyHours(rows: DayRow[]): number {
  let minutes = 0
  for (const w of weeklyFromRows(rows)) {
    const d = toMinutes(w.end) - toMinutes(w.start)
    if (d > 0) minutes += d
  }
  return Math.round((minutes / 60) * 10) / 10
}

/** Deep copy, so edits can be compared with what was loaded. */
export function cloneRows(rows: DayRow[]): DayRow[] {
  return rows.map((r) => ({ weekday: r.weekday, on: r.on, ranges: r.ranges.map((x) => ({ ...x })) }))
}

export function sameWeekly(a: DayRow[], b: DayRow[]): boolean {
  return JSON.stringify(weeklyFromRows(a)) === JSON.stringify(weeklyFromRows(b))
}

/** Set a range's start or end; a start at/after the end pushes the end one hour later (at most 24:00). */
export function setRangeTime(range: TimeRange, field: 'start' | 'end', value: string): void {
  range[field] = value
  if (field === 'start' && toMinutes(value) >= toMinutes(range.end)) {
    range.end = fromMinutes(Math.min(toMinutes(value) + 2 * STEP_MINUTES, DAY_MINUTES))
  }
}

/** Picker choices for one field of a range: ends not after the start are disabled. */
export function pickerChoices(range: TimeRange | undefined, field: 'start' | 'end') {
  return timeOptions(field).map((v) => ({
    value: v,
    label: v,
    disabled: field === 'end' && !!range && toMinutes(v) <= toMinutes(range.start),
  }))
}
