import { describe, expect, it } from 'vitest'
import { bpToPercent, fenToYuan, formatFen, formatZoned, formatZonedTime, percentToBp, shanghaiWallToIso, yuanToFen } from '../booking/money'
import { formToRules, rulesToForm } from '../booking/rulesModel'

describe('fen ↔ ¥', () => {
  it('formats fen as ¥ with two decimals', () => {
    expect(formatFen(1250)).toBe('¥12.50')
    expect(formatFen(0)).toBe('¥0.00')
    expect(formatFen(5)).toBe('¥0.05')
    expect(formatFen(12345678)).toBe('¥123,456.78')
    expect(formatFen(-500)).toBe('-¥5.00')
    expect(formatFen(null)).toBe('—')
    expect(formatFen(undefined)).toBe('—')
  })
  it('converts fen to 元 and back without float drift', () => {
    expect(fenToYuan(1250)).toBe(12.5)
    expect(fenToYuan(null)).toBeNull()
    expect(yuanToFen(12.5)).toBe(1250)
    expect(yuanToFen('12.50')).toBe(1250)
    expect(yuanToFen(0.29)).toBe(29)
    expect(yuanToFen(1.005)).toBe(101)
    expect(yuanToFen(19.99)).toBe(1999)
    expect(yuanToFen('')).toBeNull()
    expect(yuanToFen(null)).toBeNull()
    expect(yuanToFen('abc')).toBeNull()
    for (const fen of [0, 1, 29, 99, 1999, 12345, 100001]) expect(yuanToFen(fenToYuan(fen))).toBe(fen)
  })
})

describe('percent ↔ basis points', () => {
  it('converts both ways', () => {
    expect(bpToPercent(5000)).toBe(50)
    expect(bpToPercent(1250)).toBe(12.5)
    expect(bpToPercent(null)).toBeNull()
    expect(percentToBp(50)).toBe(5000)
    expect(percentToBp(12.5)).toBe(1250)
    expect(percentToBp('0.07')).toBe(7)
    expect(percentToBp(0.29)).toBe(29)
    expect(percentToBp('')).toBeNull()
    for (const bp of [0, 1, 7, 29, 1250, 5000, 10000]) expect(percentToBp(bpToPercent(bp))).toBe(bp)
  })
  it('booking rules form uses % and maps back to bp', () => {
    const rules = {
      payment_window_minutes: 15,
      free_cancel_hours: 24,
      late_cancel_fee_bp: 2000,
      min_lead_minutes: 120,
      max_horizon_days: 28,
      slot_step_minutes: 30,
      travel_buffer_minutes: 30,
      evening_start: '18:00',
      evening_surcharge_bp: 1500,
      holiday_surcharge_bp: 2550,
    }
    const form = rulesToForm(rules)
    expect(form.late_cancel_fee_pct).toBe(20)
    expect(form.evening_surcharge_pct).toBe(15)
    expect(form.holiday_surcharge_pct).toBe(25.5)
    expect(formToRules(form)).toEqual(rules)
    expect(rulesToForm({ ...rules, evening_start: '18:00:00' }).evening_start).toBe('18:00')
  })
})

describe('Asia/Shanghai times', () => {
  it('shows UTC instants as Shanghai wall-clock time', () => {
    expect(formatZoned('2026-05-01T06:00:00Z')).toBe('2026-05-01 14:00')
    expect(formatZoned('2026-05-01T17:30:00+00:00')).toBe('2026-05-02 01:30')
    expect(formatZoned('2026-05-01T06:00:05Z', 'Asia/Shanghai', true)).toBe('2026-05-01 14:00:05')
    expect(formatZonedTime('2026-05-01T08:00:00Z')).toBe('16:00')
    expect(formatZoned(null)).toBe('—')
    expect(formatZoned('not a date')).toBe('not a date')
  })
  it('treats picked wall-clock times as Shanghai time', () => {
    expect(shanghaiWallToIso('2026-12-01T09:00:00')).toBe('2026-12-01T09:00:00+08:00')
    expect(shanghaiWallToIso('2026-12-01 09:00')).toBe('2026-12-01T09:00:00+08:00')
    expect(formatZoned(shanghaiWallToIso('2026-12-01T09:00:00'))).toBe('2026-12-01 09:00')
  })
})
