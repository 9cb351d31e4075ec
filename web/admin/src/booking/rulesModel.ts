import { bpToPercent, percentToBp } from './money'
import type { BookingRules, BookingRulesInput } from './types'

export const SLOT_STEPS = [15, 30, 60] as const

/** Booking rules as edited: the three *_bp fields become percentages. */
export interface RulesForm {
  payment_window_minutes: number | null
  free_cancel_hours: number | null
  late_cancel_fee_pct: number | null
  min_lead_minutes: number | null
  max_horizon_days: number | null
  slot_step_minutes: number | null
  travel_buffer_minutes: number | null
  evening_start: string
  evening_surcharge_pct: number | null
  holiday_surcharge_pct: number | null
}

export function rulesToForm(r: BookingRules): RulesForm {
  return {
    payment_window_minutes: r.payment_window_minutes,
    free_cancel_hours: r.free_cancel_hours,
    late_cancel_fee_pct: bpToPercent(r.late_cancel_fee_bp),
    min_lead_minutes: r.min_lead_minutes,
    max_horizon_days: r.max_horizon_days,
    slot_step_minutes: r.slot_step_minutes,
    travel_buffer_minutes: r.travel_buffer_minutes,
    evening_start: (r.evening_start ?? '').slice(0, 5),
    evening_surcharge_pct: bpToPercent(r.evening_surcharge_bp),
    holiday_surcharge_pct: bpToPercent(r.holiday_surcharge_bp),
  }
}

export function formToRules(f: RulesForm): BookingRulesInput {
  const n = (v: number | null) => v ?? 0
  return {
    payment_window_minutes: n(f.payment_window_minutes),
    free_cancel_hours: n(f.free_cancel_hours),
    late_cancel_fee_bp: percentToBp(f.late_cancel_fee_pct) ?? 0,
    min_lead_minutes: n(f.min_lead_minutes),
    max_horizon_days: n(f.max_horizon_days),
    slot_step_minutes: (SLOT_STEPS as readonly number[]).includes(n(f.slot_step_minutes)) ? (n(f.slot_step_minutes) as 15 | 30 | 60) : 30,
    travel_buffer_minutes: n(f.travel_buffer_minutes),
    evening_start: f.evening_start,
    evening_surcharge_bp: percentToBp(f.evening_surcharge_pct) ?? 0,
    holiday_surcharge_bp: percentToBp(f.holiday_surcharge_pct) ?? 0,
  }
}

export type RuleField = {
  /** form key */
  key: keyof RulesForm
  /** i18n key under rules. (API field name) */
  label: string
  unit: 'unitMinutes' | 'unitHoursBefore' | 'unitDays' | 'unitPercent' | null
  min: number
  max: number
  step: number
  precision: number
}

export const RULE_FIELDS: RuleField[] = [
  { key: 'payment_window_minutes', label: 'payment_window_minutes', unit: 'unitMinutes', min: 1, max: 1440, step: 5, precision: 0 },
  { key: 'free_cancel_hours', label: 'free_cancel_hours', unit: 'unitHoursBefore', min: 0, max: 720, step: 1, precision: 0 },
  { key: 'late_cancel_fee_pct', label: 'late_cancel_fee_bp', unit: 'unitPercent', min: 0, max: 100, step: 1, precision: 2 },
  { key: 'min_lead_minutes', label: 'min_lead_minutes', unit: 'unitMinutes', min: 0, max: 10080, step: 15, precision: 0 },
  { key: 'max_horizon_days', label: 'max_horizon_days', unit: 'unitDays', min: 1, max: 365, step: 1, precision: 0 },
  { key: 'slot_step_minutes', label: 'slot_step_minutes', unit: 'unitMinutes', min: 5, max: 240, step: 5, precision: 0 },
  { key: 'travel_buffer_minutes', label: 'travel_buffer_minutes', unit: 'unitMinutes', min: 0, max: 240, step: 5, precision: 0 },
  { key: 'evening_start', label: 'evening_start', unit: null, min: 0, max: 0, step: 0, precision: 0 },
  { key: 'evening_surcharge_pct', label: 'evening_surcharge_bp', unit: 'unitPercent', min: 0, max: 500, step: 1, precision: 2 },
  { key: 'holiday_surcharge_pct', label: 'holiday_surcharge_bp', unit: 'unitPercent', min: 0, max: 500, step: 1, precision: 2 },
]
