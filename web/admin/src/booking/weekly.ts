/** Weekly hours: API list of {weekday 0..6 (Mon=0), start, end} ↔ 7 day rows of ranges. */
import type { WeeklyRange } from './types'

export interface DayRange {
  start: string
  end: string
}

export function weeklyToDays(weekly: readonly WeeklyRange[] | null | undefined): DayRange[][] {
  const days: DayRange[][] = Array.from({ length: 7 }, () => [])
  for (const w of weekly ?? []) {
    if (w.weekday >= 0 && w.weekday < 7) days[w.weekday].push({ start: w.start.slice(0, 5), end: w.end.slice(0, 5) })
  }
  for (const d of days) d.sort((a, b) => a.start.localeCompare(b.start))
  return days
}

export function daysToWeekly(days: readonly DayRange[][]): WeeklyRange[] {
  const out: WeeklyRange[] = []
  days.forEach((ranges, weekday) => {
    for (const r of [...ranges].sort((a, b) => a.start.localeCompare(b.start))) {
      if (r.start && r.end) out.push({ weekday, start: r.start, end: r.end })
    }
  })
  return out
}

/** Weekdays (0..6) whose ranges are incomplete, reversed or overlapping. */
export function invalidDays(days: readonly DayRange[][]): number[] {
  const bad: number[] = []
  days.forEach((ranges, weekday) => {
    const sorted = [...ranges].sort((a, b) => a.start.localeCompare(b.start))
    let ok = true
    sorted.forEach((r, i) => {
      if (!r.start || !r.end || r.start >= r.end) ok = false
      if (i > 0 && sorted[i - 1].end > r.start) ok = false
    })
    if (!ok) bad.push(weekday)
  })
  return bad
}
