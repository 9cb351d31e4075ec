import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatMoney, maskPhone, weekDates } from '../src/format'

describe('formatMoney', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(formatMoney(1250)).toBe('¥12.50')
    expect(formatMoney(5)).toBe('¥0.05')
    expect(formatMoney(0)).toBe('¥0.00')
    expect(formatMoney(123456789)).toBe('¥1,234,567.89')
    expect(formatMoney(-990)).toBe('-¥9.90')
    expect(formatMoney(null)).toBe('¥0.00')
  })
})

describe('maskPhone', () => {
  it('masks the middle four digits', () => {
    expect(maskPhone('13800000001')).toBe('138****0001')
  })
  it('leaves masked or empty values alone', () => {
    expect(maskPhone('138****0001')).toBe('138****0001')
    expect(maskPhone(null)).toBe('')
  })
})

describe('dates in Asia/Shanghai', () => {
  it('shifts UTC to +08:00', () => {
    expect(formatDate('2026-11-02T16:30:00Z')).toBe('2026-11-03')
    expect(formatDateTime('2026-11-02T16:30:00Z')).toBe('2026-11-03 00:30')
    expect(formatDateTime('2026-11-03T05:05:00+00:00')).toBe('2026-11-03 13:05')
  })
  it('returns empty for invalid input', () => {
    expect(formatDate('nope')).toBe('')
  })
  it('lists the Monday-to-Sunday week', () => {
    // 2026-11-25 is a Wednesday
    expect(weekDates(new Date('2026-11-25T02:00:00Z'))).toEqual([
      '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29',
    ])
    // Sunday 23:30 in Shanghai is still the same week
    expect(weekDates(new Date('2026-11-29T15:30:00Z'))[0]).toBe('2026-11-23')
  })
})
