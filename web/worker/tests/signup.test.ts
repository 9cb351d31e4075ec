import { describe, expect, it } from 'vitest'
import { messages } from '@anjia/shared/src/i18n'
import '../src/signup/i18n'
import { firstOpenStep, signupPage, standingTone, statusTone, stepDone, stepOf, yearsAfter } from '../src/signup/logic'

describe('sign-up wizard', () => {
  it('maps what the server says is missing onto the steps', () => {
    expect(stepOf('identity')).toBe('identity')
    expect(stepOf('selfie')).toBe('photos')
    expect(stepOf('area')).toBe('skills')
    expect(stepOf('certificate:nanny')).toBe('certificates')
    expect(firstOpenStep(['certificate:health', 'selfie'])).toBe('photos')
    expect(firstOpenStep([])).toBe('submit')
    expect(stepDone('identity', ['selfie'])).toBe(true)
    expect(stepDone('photos', ['selfie'])).toBe(false)
    expect(stepDone('submit', [])).toBe(false)
  })
  it('sends a worker who is not approved to the sign-up pages', () => {
    expect(signupPage({ review_status: 'approved' })).toBeNull()
    expect(signupPage({ review_status: 'draft' })).toBe('/signup/index/index')
    expect(signupPage({ review_status: 'more_info' })).toBe('/signup/status/index')
    expect(signupPage({ review_status: 'submitted' })).toBe('/signup/status/index')
  })
  it('colours statuses and certificates', () => {
    expect(statusTone('rejected')).toBe('danger')
    expect(statusTone('more_info')).toBe('warn')
    expect(standingTone('expiring')).toBe('warn')
    expect(standingTone('valid')).toBe('ok')
  })
  it('starts the expiry picker a year ahead', () => {
    expect(yearsAfter(new Date(2026, 11, 2), 1)).toBe('2027-12-02')
  })
  it('has every string in Chinese and English', () => {
    const zh = Object.keys(messages['zh-CN']).filter((k) => k.startsWith('su.'))
    expect(zh.length).toBeGreaterThan(50)
    for (const k of zh) expect((messages.en as Record<string, string>)[k], k).toBeTruthy()
  })
})

describe('every literal t() key of the sign-up pages exists', () => {
  it('zh-CN and en', async () => {
    await import('../src/lib/i18n')
    const sources = import.meta.glob(['../src/signup/**/*.{vue,ts}'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>
    expect(Object.keys(sources).length).toBeGreaterThan(8)
    const missing: string[] = []
    for (const [f, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'[,)]/g)) {
        const k = m[1]
        if (!(messages['zh-CN'] as Record<string, string>)[k] || !(messages.en as Record<string, string>)[k]) missing.push(`${f}: ${k}`)
      }
    }
    expect(missing).toEqual([])
  })
})
