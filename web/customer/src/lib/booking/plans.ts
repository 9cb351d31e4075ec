/** Recurring plans: the form and the POST /plans body built from it. */
import type { Frequency, PlanCreate, PlanPatch, Weekday } from './types'
import { weekdayOf } from './dates'

export const FREQUENCIES: Frequency[] = ['weekly', 'biweekly', 'twice_monthly', 'custom']
/** Monday first, as shown in the UI. */
export const WEEKDAYS: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']
/** Weekday code → JS day number (0 = Sunday). */
export const WEEKDAY_NUM: Record<Weekday, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 }

export function weekdayCode(date: string): Weekday {
  const n = weekdayOf(date)
  return (Object.keys(WEEKDAY_NUM) as Weekday[]).find((k) => WEEKDAY_NUM[k] === n) as Weekday
}

export interface PlanForm {
  frequency: Frequency
  /** one weekday for weekly/biweekly/twice_monthly, one or more for custom */
  weekdays: Weekday[]
  time: string
  start_date: string
  end_date: string
}

function sortDays(days: Weekday[]): Weekday[] {
  return WEEKDAYS.filter((d) => days.includes(d))
}

/** RFC 5545 rule for the schedule ("FREQ=WEEKLY;BYDAY=TU"). */
export function planRrule(form: Pick<PlanForm, 'frequency' | 'weekdays'>): string {
  const days = sortDays(form.weekdays)
  const one = days[0] || 'MO'
  switch (form.frequency) {
    case 'weekly':
      return `FREQ=WEEKLY;BYDAY=${one}`
    case 'biweekly':
      return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${one}`
    case 'twice_monthly':
      return `FREQ=MONTHLY;BYDAY=1${one},3${one}`
    case 'custom':
      return `FREQ=WEEKLY;BYDAY=${days.join(',')}`
  }
}

export type PlanFormProblem = 'plan.err.weekdays' | 'plan.err.time' | 'plan.err.start' | 'plan.err.end' | null

/** Twice a month follows the start date (that day and 14 days later); the others need weekdays. */
export function needsWeekdays(f: Frequency): boolean {
  return f !== 'twice_monthly'
}

export function validatePlanForm(form: PlanForm, today: string): PlanFormProblem {
  if (needsWeekdays(form.frequency) && !form.weekdays.length) return 'plan.err.weekdays'
  if (!/^\d{2}:\d{2}$/.test(form.time)) return 'plan.err.time'
  if (!form.start_date || form.start_date < today) return 'plan.err.start'
  if (form.end_date && form.end_date < form.start_date) return 'plan.err.end'
  return null
}

/** The schedule part of POST /plans and PATCH /plans/{id}: the server builds the rule except for custom. */
export function scheduleOf(form: Pick<PlanForm, 'frequency' | 'weekdays'>): Pick<PlanCreate, 'frequency' | 'weekdays' | 'rrule'> {
  switch (form.frequency) {
    case 'weekly':
    case 'biweekly':
      return { frequency: form.frequency, weekdays: sortDays(form.weekdays).slice(0, 1) }
    case 'twice_monthly':
      return { frequency: 'twice_monthly' }
    case 'custom': {
      const weekdays = sortDays(form.weekdays)
      return { frequency: 'custom', weekdays, rrule: planRrule({ frequency: 'custom', weekdays }) }
    }
  }
}

/** POST /plans body: what to do (from the booking form) + when (from the plan form). */
export function buildPlanBody(
  work: Pick<PlanCreate, 'service_id' | 'address_id' | 'items' | 'hours' | 'options' | 'notes'>,
  form: PlanForm,
): PlanCreate {
  const body: PlanCreate = {
    service_id: work.service_id,
    address_id: work.address_id,
    items: work.items,
    options: work.options,
    ...scheduleOf(form),
    start_date: form.start_date,
    time: form.time,
  }
  if (work.hours) body.hours = work.hours
  if (work.notes) body.notes = work.notes
  if (form.end_date) body.end_date = form.end_date
  return body
}

/** PATCH /plans/{id} body for "change from a date on". */
export function buildPlanPatch(form: PlanForm, from_date: string): PlanPatch {
  return { from_date, time: form.time, ...scheduleOf(form) }
}

/** The plan form of an existing plan (frequency and weekdays read back from the rule). */
export function planFormOf(p: { frequency: string; rrule?: string | null; time: string; start_date: string; end_date?: string | null }): PlanForm {
  return {
    frequency: p.frequency as Frequency,
    weekdays: rruleWeekdays(p.rrule),
    time: (p.time || '09:00').slice(0, 5),
    start_date: p.start_date,
    end_date: p.end_date || '',
  }
}

/** A plan form starting from a date and time (e.g. the slot picked for the first order). */
export function defaultPlanForm(start_date: string, time = '09:00'): PlanForm {
  return { frequency: 'weekly', weekdays: [weekdayCode(start_date)], time, start_date, end_date: '' }
}

/** Parse BYDAY out of an rrule ("FREQ=MONTHLY;BYDAY=1TU,3TU" → ["TU"]). */
export function rruleWeekdays(rrule: string | null | undefined): Weekday[] {
  const m = /BYDAY=([^;]+)/.exec(rrule || '')
  if (!m) return []
  const out: Weekday[] = []
  for (const part of m[1].split(',')) {
    const code = part.replace(/^[+-]?\d+/, '') as Weekday
    if (WEEKDAYS.includes(code) && !out.includes(code)) out.push(code)
  }
  return sortDays(out)
}
