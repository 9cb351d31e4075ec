import { describe, expect, it } from 'vitest'
import { messages } from '@anjia/shared/src/i18n'
import { workerMessages } from '../src/lib/i18n'
import { workPageMessages } from '../src/work/i18n'
import { CITY_CENTER, clampRadius, isCityCenter, settingsBody } from '../src/work/area'

describe('service area', () => {
  it('keeps the radius within 1–30 km', () => {
    expect(clampRadius(0)).toBe(1)
    expect(clampRadius(12.4)).toBe(12)
    expect(clampRadius(80)).toBe(30)
    expect(clampRadius(null)).toBe(10)
  })
  it('builds the PATCH body, without a half location and without region', () => {
    expect(settingsBody(15, null, null)).toEqual({ radius_km: 15 })
    expect(settingsBody(15, CITY_CENTER.lat, CITY_CENTER.lng)).toEqual({ radius_km: 15, home_lat: 31.2304, home_lng: 121.4737 })
    expect(isCityCenter(31.2304, 121.4737)).toBe(true)
    expect(isCityCenter(31.3, 121.4737)).toBe(false)
  })
})

describe('worker strings', () => {
  it('are merged into both dictionaries with the same keys', () => {
    const zh = messages['zh-CN'] as Record<string, string>
    const en = messages.en as Record<string, string>
    expect(Object.keys(workerMessages.en).sort()).toEqual(Object.keys(workerMessages['zh-CN']).sort())
    expect(Object.keys(workPageMessages.en).sort()).toEqual(Object.keys(workPageMessages['zh-CN']).sort())
    expect(zh['work.hours']).toBe('工作时间')
    expect(zh['hours.presetWeekdays']).toBe('工作日 8:00-18:00')
    expect(zh['hours.presetEveryday']).toBe('每天 8:00-20:00')
    expect(zh['wday.0']).toBe('周一')
    expect(zh['wday.6']).toBe('周日')
    expect(en['work.hours']).toBe('Working hours')
  })
})
