import { describe, expect, it } from 'vitest'
import {
  applyPreset,
  fromMinutes,
  nextRange,
  pickerChoices,
  setRangeTime,
  rowsFromWeekly,
  snap,
  timeOptions,
  toMinutes,
  validateRows,
  weeklyBody,
  weeklyFromRows,
  weeklyHours,
  type DayRow,
} from '../src/availability/hours'

const day = (weekday: number, ranges: [string, string][], on = true): DayRow => ({
  weekday,
  on,
  ranges: ranges.map(([start, end]) => ({ start, end })),
})

describe('time grid', () => {
  it('converts HH:MM and minutes both ways, including 24:00', () => {
    expect(toMinutes('08:30')).toBe(510)
    expect(toMinutes('24:00')).toBe(1440)
    expect(toMinutes('24:30')).toBeNaN()
    expect(toMinutes('8:75')).toBeNaN()
    expect(fromMinutes(510)).toBe('08:30')
    expect(fromMinutes(1440)).toBe('24:00')
    expect(snap('08:10')).toBe('08:00')
    expect(snap('08:20')).toBe('08:30')
  })
  it('offers starts 00:00…23:30 and ends 00:30…24:00 every 30 minutes', () => {
    const s = timeOptions('start')
    const e = timeOptions('end')
    expect(s).toHaveLength(48)
    expect(s[0]).toBe('00:00')
    expect(s[47]).toBe('23:30')
    expect(e[0]).toBe('00:30')
    expect(e[47]).toBe('24:00')
  })
})

describe('range validation', () => {
  it('accepts ordered, touching ranges', () => {
    expect(validateRows([day(0, [['08:00', '12:00'], ['12:00', '18:00']])])).toEqual([])
  })
  it('rejects an end that is not after the start', () => {
    expect(validateRows([day(2, [['18:00', '08:00']])])).toEqual([{ weekday: 2, index: 0, code: 'order' }])
    expect(validateRows([day(2, [['09:00', '09:00']])])).toEqual([{ weekday: 2, index: 0, code: 'order' }])
  })
  it('marks both overlapping ranges', () => {
    const errs = validateRows([day(1, [['08:00', '12:00'], ['11:30', '18:00'], ['19:00', '20:00']])])
    expect(errs).toEqual([
      { weekday: 1, index: 0, code: 'overlap' },
      { weekday: 1, index: 1, code: 'overlap' },
    ])
  })
  it('flags times off the 30-minute grid', () => {
    expect(validateRows([day(0, [['08:15', '12:00']])])).toEqual([{ weekday: 0, index: 0, code: 'grid' }])
  })
  it('ignores days that are off and flags an "on" day without ranges', () => {
    expect(validateRows([day(3, [['18:00', '08:00']], false)])).toEqual([])
    expect(validateRows([{ weekday: 4, on: true, ranges: [] }])).toEqual([{ weekday: 4, index: -1, code: 'empty' }])
  })
})

describe('presets', () => {
  it('工作日 8:00-18:00 turns Monday–Friday on and the weekend off', () => {
    const rows = applyPreset('weekdays')
    expect(rows.map((r) => r.on)).toEqual([true, true, true, true, true, false, false])
    expect(weeklyFromRows(rows)).toEqual(
      [0, 1, 2, 3, 4].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
    )
    expect(weeklyHours(rows)).toBe(50)
  })
  it('每天 8:00-20:00 turns every day on', () => {
    const rows = applyPreset('everyday')
    expect(weeklyFromRows(rows)).toHaveLength(7)
    expect(weeklyFromRows(rows)[6]).toEqual({ weekday: 6, start: '08:00', end: '20:00' })
    expect(weeklyHours(rows)).toBe(84)
  })
})

describe('conversion to and from the API', () => {
  it('builds seven rows from the weekly list, sorted, off days keeping a default range', () => {
    const rows = rowsFromWeekly([
      { weekday: 0, start: '13:00', end: '18:00' },
      { weekday: 0, start: '08:00', end: '12:00' },
      { weekday: 6, start: '09:00', end: '24:00' },
    ])
    expect(rows).toHaveLength(7)
    expect(rows[0]).toEqual(day(0, [['08:00', '12:00'], ['13:00', '18:00']]))
    expect(rows[1]).toEqual(day(1, [['08:00', '18:00']], false))
    expect(rows[6].ranges).toEqual([{ start: '09:00', end: '24:00' }])
  })
  it('sends only the days that are on, by weekday then start', () => {
    const rows = [
      day(4, [['14:00', '18:00'], ['08:00', '12:00']]),
      day(0, [['08:00', '18:00']], false),
      day(2, [['10:00', '16:00']]),
    ]
    expect(weeklyBody(rows)).toEqual({
      weekly: [
        { weekday: 2, start: '10:00', end: '16:00' },
        { weekday: 4, start: '08:00', end: '12:00' },
        { weekday: 4, start: '14:00', end: '18:00' },
      ],
    })
  })
  it('round-trips', () => {
    const weekly = [
      { weekday: 1, start: '08:00', end: '12:00' },
      { weekday: 1, start: '13:30', end: '18:00' },
      { weekday: 5, start: '00:00', end: '24:00' },
    ]
    expect(weeklyFromRows(rowsFromWeekly(weekly))).toEqual(weekly)
    expect(weeklyFromRows(rowsFromWeekly([]))).toEqual([])
  })
})

describe('add range', () => {
  it('proposes a range after the last one and stops when the day is full', () => {
    expect(nextRange(day(0, [['08:00', '18:00']]))).toEqual({ start: '19:00', end: '21:00' })
    expect(nextRange(day(0, [['08:00', '23:00']]))).toEqual({ start: '23:30', end: '24:00' })
    expect(nextRange(day(0, [['08:00', '24:00']]))).toEqual({ start: '06:00', end: '07:30' })
    expect(nextRange(day(0, [['00:00', '24:00']]))).toBeNull()
    expect(nextRange({ weekday: 0, on: true, ranges: [] })).toEqual({ start: '08:00', end: '18:00' })
  })
})

describe('picking times', () => {
  it('pushes the end when the start moves past it', () => {
    const r = { start: '08:00', end: '18:00' }
    setRangeTime(r, 'start', '19:00')
    expect(r).toEqual({ start: '19:00', end: '20:00' })
    setRangeTime(r, 'start', '23:30')
    expect(r).toEqual({ start: '23:30', end: '24:00' })
    setRangeTime(r, 'end', '23:00')
    expect(r.end).toBe('23:00') // left for validation to flag
  })
  it('disables ends that are not after the start', () => {
    const ends = pickerChoices({ start: '08:00', end: '18:00' }, 'end')
    expect(ends.filter((o) => !o.disabled)[0].value).toBe('08:30')
    expect(pickerChoices({ start: '08:00', end: '18:00' }, 'start').every((o) => !o.disabled)).toBe(true)
  })
})
