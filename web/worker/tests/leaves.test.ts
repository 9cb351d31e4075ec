import { describe, expect, it } from 'vitest'
import {
  apiWeekday,
  dayStatus,
  defaultLeaveStart,
  formatLeavePeriod,
  isoShanghai,
  leaveBody,
  shanghaiTimestamp,
  upcomingLeaves,
  validateLeave,
} from '../src/availability/leaves'

const NOW = Date.parse('2026-11-25T10:20:00+08:00') // a Wednesday

describe('leaves', () => {
  it('sends local times with the +08:00 offset', () => {
    const s = shanghaiTimestamp('2026-11-26', '08:00')
    expect(isoShanghai(s)).toBe('2026-11-26T08:00:00+08:00')
    expect(leaveBody(s, s + 10 * 3600e3, '  家中有事 ')).toEqual({
      start: '2026-11-26T08:00:00+08:00',
      end: '2026-11-26T18:00:00+08:00',
      reason: '家中有事',
    })
  })
  it('validates order, past and reason length', () => {
    const s = shanghaiTimestamp('2026-11-26', '08:00')
    expect(validateLeave(s, s, '', NOW)).toBe('order')
    expect(validateLeave(s, s - 1, '', NOW)).toBe('order')
    expect(validateLeave(NOW - 7200e3, NOW - 3600e3, '', NOW)).toBe('past')
    expect(validateLeave(s, s + 3600e3, 'x'.repeat(201), NOW)).toBe('reason')
    expect(validateLeave(s, s + 3600e3, '', NOW)).toBeNull()
  })
  it('defaults the start to the next full hour', () => {
    expect(isoShanghai(defaultLeaveStart(NOW))).toBe('2026-11-25T11:00:00+08:00')
  })
  it('lists leaves that have not ended, soonest first', () => {
    const leaves = [
      { id: 1, start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z', reason: '' },
      { id: 2, start: '2026-11-20T00:00:00Z', end: '2026-11-21T00:00:00Z', reason: '' },
      { id: 3, start: '2026-11-25T00:00:00Z', end: '2026-11-26T00:00:00Z', reason: '' },
    ]
    expect(upcomingLeaves(leaves, NOW).map((l) => l.id)).toEqual([3, 1])
  })
  it('formats a period in Shanghai time', () => {
    expect(formatLeavePeriod({ start: '2026-11-26T00:00:00Z', end: '2026-11-26T10:00:00Z' })).toBe('11-26 08:00 — 18:00')
    expect(formatLeavePeriod({ start: '2026-11-26T00:00:00Z', end: '2026-11-27T10:00:00Z' })).toBe(
      '11-26 08:00 — 11-27 18:00',
    )
  })
})

describe('schedule day overlay', () => {
  const weekly = [
    { weekday: 2, start: '08:00', end: '12:00' },
    { weekday: 2, start: '13:00', end: '18:00' },
  ]
  it('maps dates to API weekdays (Monday = 0)', () => {
    expect(apiWeekday('2026-11-23')).toBe(0)
    expect(apiWeekday('2026-11-25')).toBe(2)
    expect(apiWeekday('2026-11-29')).toBe(6)
  })
  it('shows working hours, 休息 and 请假中', () => {
    expect(dayStatus({ weekly, leaves: [] }, '2026-11-25')).toEqual({
      kind: 'work',
      ranges: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }],
      text: '08:00-12:00、13:00-18:00',
      leaveText: '',
    })
    expect(dayStatus({ weekly, leaves: [] }, '2026-11-26').kind).toBe('rest')
    const leave = { id: 1, start: '2026-11-25T07:00:00+08:00', end: '2026-11-25T19:00:00+08:00', reason: '' }
    expect(dayStatus({ weekly, leaves: [leave] }, '2026-11-25').kind).toBe('leave')
    const multiDay = { id: 2, start: '2026-11-24T00:00:00+08:00', end: '2026-11-27T00:00:00+08:00', reason: '' }
    expect(dayStatus({ weekly, leaves: [multiDay] }, '2026-11-26').kind).toBe('leave')
  })
  it('keeps the hours and names a partial leave', () => {
    const leave = { id: 1, start: '2026-11-25T02:00:00Z', end: '2026-11-25T04:00:00Z', reason: '' }
    const s = dayStatus({ weekly, leaves: [leave] }, '2026-11-25')
    expect(s.kind).toBe('work')
    expect(s.leaveText).toBe('10:00-12:00')
  })
})
