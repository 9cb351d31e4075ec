import { describe, expect, it } from 'vitest'
import { changeType, move, newChoice, newOption, optionFromApi, optionToApi, validateOptions } from '../booking/optionsModel'
import { emptyService, serviceFromApi, serviceToApi, validateService } from '../booking/serviceModel'
import { daysToWeekly, invalidDays, weeklyToDays } from '../booking/weekly'
import type { Service, ServiceOption } from '../booking/types'

const depth: ServiceOption = {
  code: 'depth',
  type: 'single',
  label: '清洁深度',
  label_en: 'Depth',
  required: true,
  choices: [
    { code: 'normal', label: '普通', label_en: 'Normal', surcharge: 0, surcharge_bp: 0, extra_minutes: 0 },
    { code: 'deep', label: '深度', label_en: 'Deep', surcharge: 2000, surcharge_bp: 5000, extra_minutes: 60 },
  ],
}

describe('options editor model', () => {
  it('shows choice surcharges in 元 and % and writes fen and bp back', () => {
    const f = optionFromApi(depth)
    expect(f.choices[1]).toMatchObject({ surcharge: 20, surcharge_pct: 50, extra_minutes: 60 })
    expect(optionToApi(f)).toEqual(depth)
  })

  it('number options: per-unit surcharge in 元, included units kept; unrelated fields dropped', () => {
    const area: ServiceOption = {
      code: 'area',
      type: 'number',
      label: '面积',
      label_en: '',
      required: true,
      min: 30,
      max: 300,
      unit: '㎡',
      per_unit_surcharge: 350,
      included_units: 60,
    }
    const f = optionFromApi(area)
    expect(f.per_unit_surcharge).toBe(3.5)
    const out = optionToApi(f)
    expect(out).toMatchObject({ code: 'area', type: 'number', min: 30, max: 300, unit: '㎡', per_unit_surcharge: 350, included_units: 60 })
    expect(out.choices).toBeUndefined()
    expect(out.surcharge).toBeUndefined()
  })

  it('bool options carry a flat surcharge and are never required', () => {
    const f = newOption('bool')
    f.code = 'eco'
    f.label = '环保清洁剂'
    f.required = true
    f.surcharge = 15
    f.surcharge_pct = 10
    const out = optionToApi(f)
    expect(out).toMatchObject({ type: 'bool', surcharge: 1500, surcharge_bp: 1000, required: false })
    expect(out.choices).toBeUndefined()
  })

  it('text options keep max_length only', () => {
    const f = newOption('text')
    Object.assign(f, { code: 'notes', label: '备注', max_length: 300 })
    expect(optionToApi(f)).toEqual({ code: 'notes', type: 'text', label: '备注', label_en: '', required: false, max_length: 300 })
  })

  it('changing type keeps code/label, keeps choices between single and multi, clears them otherwise', () => {
    const f = optionFromApi(depth)
    const multi = changeType(f, 'multi')
    expect(multi).toMatchObject({ key: f.key, code: 'depth', label: '清洁深度', type: 'multi' })
    expect(multi.choices).toHaveLength(2)
    const num = changeType(multi, 'number')
    expect(num.choices).toEqual([])
    expect(num.min).toBe(0)
    const back = changeType(num, 'single')
    expect(back.choices).toHaveLength(1)
    expect(changeType(f, 'bool').required).toBe(false)
  })

  it('validates codes, labels, choices and ranges', () => {
    const ok = optionFromApi(depth)
    expect(validateOptions([ok])).toEqual([])

    const dup = optionFromApi(depth)
    const bad = newOption('single')
    bad.code = 'Bad Code'
    bad.choices = [newChoice()]
    const num = newOption('number')
    Object.assign(num, { code: 'n', label: 'N', min: 5, max: 2 })
    const problems = validateOptions([ok, dup, bad, num])
    const keys = problems.map((p) => `${p.index}:${p.key}`)
    expect(keys).toContain('1:codeDuplicate')
    expect(keys).toContain('2:codeFormat')
    expect(keys).toContain('2:labelRequired')
    expect(keys).toContain('2:choiceIncomplete')
    expect(keys).toContain('3:minMax')
    expect(keys.filter((k) => k.startsWith('0:'))).toEqual([])

    const noChoices = optionFromApi({ ...depth, code: 'x', choices: [] })
    expect(validateOptions([noChoices]).map((p) => p.key)).toEqual(['choicesRequired'])
    const dupChoice = optionFromApi({ ...depth, choices: [depth.choices![0], depth.choices![0]] })
    expect(validateOptions([dupChoice]).map((p) => p.key)).toEqual(['choiceDuplicate'])
    const empty = newOption('single')
    expect(validateOptions([empty]).map((p) => p.key)).toContain('codeRequired')
  })

  it('moves items up and down, ignoring moves past the edges', () => {
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
  })
})

describe('service form', () => {
  const svc: Service = {
    id: 5,
    category_id: 2,
    category_name: '深度保洁',
    sort: 1,
    name: '厨房深度清洁',
    name_en: 'Kitchen deep clean',
    description: '',
    image_url: null,
    skill: 'cleaning',
    pricing_kind: 'fixed',
    unit_name: '次',
    items: [{ code: 'std', name: '标准厨房', name_en: 'Standard', unit_price: 29900, duration_minutes: 180 }],
    deposit: 0,
    options: [depth],
    published: true,
  }
  it('round-trips prices through 元', () => {
    const f = serviceFromApi(svc)
    expect(f.items[0].unit_price).toBe(299)
    f.items[0].unit_price = 318.8
    f.deposit = 50
    const out = serviceToApi(f)
    expect(out.items[0].unit_price).toBe(31880)
    expect(out.deposit).toBe(5000)
    expect(out.options).toEqual([depth])
    expect(out.description).toBe('')
    expect(out.skill).toBe('cleaning')
    expect(out.items[0].name_en).toBe('Standard')
  })
  it('validates items and ranges', () => {
    const f = emptyService(1)
    expect(validateService(f)).toContain('itemIncomplete')
    f.items = [
      { code: 'a', name: 'A', name_en: '', unit_price: 1, duration_minutes: 60 },
      { code: 'a', name: 'B', name_en: '', unit_price: 1, duration_minutes: 60 },
    ]
    expect(validateService(f)).toEqual(['itemDuplicate'])
    f.items.pop()
    f.min_hours = 4
    f.max_hours = 2
    expect(validateService(f)).toEqual(['hoursRange'])
    f.min_hours = null
    f.items[0].code = 'Bad'
    expect(validateService(f)).toEqual(['itemCodeFormat'])
    f.items[0].code = 'ok'
    f.items[0].duration_minutes = 5
    expect(validateService(f)).toEqual(['itemDuration'])
  })
})

describe('weekly hours', () => {
  it('groups API ranges by weekday and back', () => {
    const weekly = [
      { weekday: 0, start: '13:00', end: '18:00' },
      { weekday: 0, start: '08:00', end: '12:00' },
      { weekday: 5, start: '09:00:00', end: '17:00:00' },
    ]
    const days = weeklyToDays(weekly)
    expect(days).toHaveLength(7)
    expect(days[0]).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ])
    expect(days[5]).toEqual([{ start: '09:00', end: '17:00' }])
    expect(daysToWeekly(days)).toEqual([
      { weekday: 0, start: '08:00', end: '12:00' },
      { weekday: 0, start: '13:00', end: '18:00' },
      { weekday: 5, start: '09:00', end: '17:00' },
    ])
  })
  it('flags reversed and overlapping ranges', () => {
    const days = weeklyToDays([])
    days[1] = [{ start: '10:00', end: '09:00' }]
    days[2] = [
      { start: '08:00', end: '12:00' },
      { start: '11:00', end: '14:00' },
    ]
    days[3] = [
      { start: '08:00', end: '12:00' },
      { start: '12:00', end: '14:00' },
    ]
    expect(invalidDays(days)).toEqual([1, 2])
  })
})
