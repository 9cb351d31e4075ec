/** Leaves and the schedule's day overlay: pure logic (tests/leaves.test.ts). Local time is Asia/Shanghai (+08:00). */
import { formatDateTime, shanghaiWeekday } from '@anjia/shared/src/format'
import type { WeeklyRange, WorkerAvailability, WorkerLeave } from '../lib/types'
import { formatRanges, toMinutes, type TimeRange } from './hours'

const OFFSET = '+08:00'
const HOUR = 3600 * 1000

/** A timestamp (ms) → "2026-11-25T08:00:00+08:00" (what POST /worker/leaves receives). */
export function isoShanghai(ts: number): string {
  const s = formatDateTime(ts) // "2026-11-25 08:00" in Asia/Shanghai
  return `${s.replace(' ', 'T')}:00${OFFSET}`
}

/** "2026-11-25", "08:00" → timestamp (ms). */
export function shanghaiTimestamp(date: string, time = '00:00'): number {
  return Date.parse(`${date}T${time}:00${OFFSET}`)
}

/** Next full hour after `now`, as the default start of a new leave. */
export function defaultLeaveStart(now: number): number {
  return Math.ceil((now + 1) / HOUR) * HOUR
}

export type LeaveError = 'order' | 'past' | 'reason'

export function validateLeave(start: number, end: number, reason: string, now: number): LeaveError | null {
  if (!(end > start)) return 'order'
  if (end <= now) return 'past'
  if ((reason || '').trim().length > 200) return 'reason'
  return null
}

export function leaveBody(start: number, end: number, reason: string): { start: string; end: string; reason: string } {
  return { start: isoShanghai(start), end: isoShanghai(end), reason: (reason || '').trim() }
}

/** Leaves that have not ended, soonest first. */
export function upcomingLeaves(leaves: WorkerLeave[], now: number): WorkerLeave[] {
  return leaves.filter((l) => Date.parse(l.end) > now).sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
}

/** "11-25 08:00 — 11-26 18:00" (same day: "11-25 08:00 — 18:00"). */
export function formatLeavePeriod(leave: { start: string; end: string }): string {
  const s = formatDateTime(leave.start)
  const e = formatDateTime(leave.end)
  const sameDay = s.slice(0, 10) === e.slice(0, 10)
  return `${s.slice(5)} — ${sameDay ? e.slice(11) : e.slice(5)}`
}

export function isOngoing(leave: { start: string; end: string }, now: number): boolean {
  return Date.parse(leave.start) <= now && now < Date.parse(leave.end)
}

/** API weekday (Mon = 0) of a "YYYY-MM-DD" date. */
export function apiWeekday(date: string): number {
  return (shanghaiWeekday(`${date}T12:00:00${OFFSET}`) + 6) % 7
}

export interface DayStatus {
  kind: 'work' | 'rest' | 'leave'
  /** working ranges of that weekday */
  ranges: TimeRange[]
  /** "08:00-12:00、13:00-18:00" */
  text: string
  /** leave parts within the day, e.g. "10:00-12:00" (when the leave does not cover the whole working time) */
  leaveText: string
}

/** The schedule overlay for one date: working hours, 休息 or 请假中. */
export function dayStatus(av: Pick<WorkerAvailability, 'weekly' | 'leaves'>, date: string): DayStatus {
  const wd = apiWeekday(date)
  const ranges = (av.weekly || [])
    .filter((r: WeeklyRange) => r.weekday === wd)
    .map((r) => ({ start: r.start, end: r.end }))
    .sort((a, b) => toMinutes(a.start) - toMinutes(b.start))
  const dayStart = shanghaiTimestamp(date)
  const dayEnd = dayStart + 24 * HOUR
  // leave parts clipped to the day, in minutes after local midnight
  const parts = (av.leaves || [])
    .map((l) => [Math.max(Date.parse(l.start), dayStart), Math.min(Date.parse(l.end), dayEnd)])
    .filter(([s, e]) => e > s)
    .map(([s, e]) => [(s - dayStart) / 60000, (e - dayStart) / 60000])
  const text = formatRanges(ranges)
  const covered = (from: number, to: number) => {
    // is [from, to) fully covered by the union of the leave parts?
    let cursor = from
    for (const [s, e] of [...parts].sort((a, b) => a[0] - b[0])) {
      if (s > cursor) break
      cursor = Math.max(cursor, e)
      if (cursor >= to) return true
    }
    return cursor >= to
  }
  const wholeDay = covered(0, 24 * 60)
  const allWork = ranges.length > 0 && ranges.every((r) => covered(toMinutes(r.start), toMinutes(r.end)))
  if (parts.length && (wholeDay || allWork)) return { kind: 'leave', ranges, text, leaveText: '' }
  if (!ranges.length) return { kind: 'rest', ranges, text: '', leaveText: '' }
  const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(Math.round(m % 60)).padStart(2, '0')}`
  const leaveText = parts
    .filter(([s, e]) => ranges.some((r) => s < toMinutes(r.end) && toMinutes(r.start) < e))
    .map(([s, e]) => `${fmt(s)}-${fmt(e)}`)
    .join('、')
  return { kind: 'work', ranges, text, leaveText }
}

