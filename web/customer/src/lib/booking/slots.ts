/** Time-slot helpers: the calendar strip and slots grouped by part of day. */
import type { Availability, Slot } from './types'
import { addDays, shanghaiTime, todayShanghai, weekdayOf } from './dates'

export type DayPart = 'morning' | 'afternoon' | 'evening'

export interface SlotView extends Slot {
  /** "14:00" local */
  time: string
  /** "14:00-16:00" local */
  range: string
}

export interface SlotGroup {
  part: DayPart
  slots: SlotView[]
}

export function dayPart(time: string): DayPart {
  const h = Number(time.slice(0, 2))
  return h < 12 ? 'morning' : h < 18 ? 'afternoon' : 'evening'
}

/** Slots of one day in start order, grouped 上午/下午/晚上; empty groups are left out. */
export function groupSlots(slots: Slot[]): SlotGroup[] {
  const sorted = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
  const groups: SlotGroup[] = []
  for (const s of sorted) {
    const time = shanghaiTime(s.start)
    const view: SlotView = { ...s, time, range: `${time}-${shanghaiTime(s.end)}` }
    const part = dayPart(time)
    let g = groups.find((x) => x.part === part)
    if (!g) groups.push((g = { part, slots: [] }))
    g.slots.push(view)
  }
  const order: DayPart[] = ['morning', 'afternoon', 'evening']
  return groups.sort((a, b) => order.indexOf(a.part) - order.indexOf(b.part))
}

export interface StripDay {
  date: string
  /** 0 = Sunday */
  weekday: number
  /** "11/03" */
  md: string
  /** 0 today, 1 tomorrow, … */
  offset: number
  /** how many available slots the day has (undefined until loaded) */
  free?: number
}

/** `count` days starting `startOffset` days after today (Asia/Shanghai). */
export function dayStrip(count: number, now: Date = new Date(), startOffset = 0): StripDay[] {
  const today = todayShanghai(now)
  return Array.from({ length: count }, (_, i) => {
    const date = addDays(today, i + startOffset)
    return { date, weekday: weekdayOf(date), md: `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`, offset: i + startOffset }
  })
}

/** Free-slot counts per date. */
export function freeCounts(av: Availability | null | undefined): Record<string, number> {
  const out: Record<string, number> = {}
  for (const d of av?.days || []) out[d.date] = d.slots.filter((s) => s.available).length
  return out
}

/** The first date that has a free slot, or null. */
export function firstFreeDate(av: Availability | null | undefined): string | null {
  for (const d of av?.days || []) if (d.slots.some((s) => s.available)) return d.date
  return null
}

/** Find a slot by its start instant (compares instants, not strings). */
export function findSlot(av: Availability | null | undefined, start: string): Slot | null {
  const t = Date.parse(start)
  for (const d of av?.days || []) for (const s of d.slots) if (Date.parse(s.start) === t) return s
  return null
}
