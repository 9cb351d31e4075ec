import { t } from '@anjia/shared/src/i18n'
import { shanghaiDate, shanghaiTime, weekdayOf } from '../lib/booking/dates'
import { rruleWeekdays, WEEKDAY_NUM } from '../lib/booking/plans'
import type { Plan } from '../lib/booking/types'

/** "每周 周二 14:00 · 2026-11-03 起" */
export function planSummary(p: Plan): string {
  const monthDays = /BYMONTHDAY=([\d,]+)/.exec(p.rrule || '')
  const days = monthDays
    ? t('plan.monthDays', { days: monthDays[1].split(',').join('、') })
    : rruleWeekdays(p.rrule).map((d) => t('slot.weekday', { d: t('week.' + WEEKDAY_NUM[d]) })).join(' ')
  let s = t('plan.summary', { freq: t('plan.freq.' + p.frequency), days, time: (p.time || '').slice(0, 5) })
  if (p.start_date) s += ' · ' + t('plan.since', { date: p.start_date })
  if (p.end_date) s += ' ' + t('plan.until', { date: p.end_date })
  return s
}

/** "2026-11-03 周二 14:00" */
export function planWhen(iso: string): string {
  const d = shanghaiDate(iso) || iso.slice(0, 10)
  const time = iso.length > 10 ? shanghaiTime(iso) : ''
  return `${d} ${t('slot.weekday', { d: t('week.' + weekdayOf(d)) })} ${time}`.trim()
}
