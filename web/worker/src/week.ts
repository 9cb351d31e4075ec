import { shanghaiWeekday, weekDates } from '@anjia/shared/src/format'

export interface WeekDay {
  date: string
  day: number
  weekday: number
  isToday: boolean
}

/** Monday…Sunday of the week containing `now` (Asia/Shanghai). */
export function weekStrip(now: Date, today: string): WeekDay[] {
  return weekDates(now).map((date) => ({
    date,
    day: Number(date.slice(8, 10)),
    weekday: shanghaiWeekday(`${date}T12:00:00+08:00`),
    isToday: date === today,
  }))
}
