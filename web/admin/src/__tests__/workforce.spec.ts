import { describe, expect, it } from 'vitest'
import { faceTag, needsReasons, REVIEW_REASONS, reviewTag, standingTag } from '../workforce/model'
import { workforceEn, workforceZh } from '../workforce/messages'

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('worker files in the console', () => {
  it('tags statuses, standings and face checks', () => {
    expect(reviewTag('submitted')).toBe('primary')
    expect(reviewTag('rejected')).toBe('danger')
    expect(standingTag('expiring')).toBe('warning')
    expect(standingTag('expired')).toBe('danger')
    expect(faceTag('passed')).toBe('success')
    expect(faceTag(null)).toBe('info')
  })
  it('asks for reasons except when approving', () => {
    expect(needsReasons('approve')).toBe(false)
    expect(needsReasons('ask')).toBe(true)
    expect(needsReasons('reject')).toBe(true)
  })
  it('labels every reason and every string in both languages', () => {
    for (const r of REVIEW_REASONS) expect(workforceZh.reasons[r]).toBeTruthy()
    expect(keys(workforceEn).sort()).toEqual(keys(workforceZh).sort())
  })
})
