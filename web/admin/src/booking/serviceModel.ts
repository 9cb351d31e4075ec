/** Service form ↔ API: item prices and deposit in 元 in the UI, fen on the wire. */
import { fenToYuan, yuanToFen } from './money'
import { CODE_RE, optionFromApi, optionToApi, type OptionForm } from './optionsModel'
import type { PricingKind, Service, ServiceInput } from './types'

export interface ItemForm {
  code: string
  name: string
  name_en: string
  /** 元 */
  unit_price: number | null
  duration_minutes: number | null
}

export interface ServiceForm {
  category_id: number | null
  name: string
  name_en: string
  description: string
  image_url: string
  skill: string
  pricing_kind: PricingKind
  unit_name: string
  items: ItemForm[]
  min_hours: number | null
  max_hours: number | null
  min_days: number | null
  max_days: number | null
  daily_hours: number | null
  /** 元 */
  deposit: number | null
  published: boolean
  options: OptionForm[]
}

export function emptyService(categoryId: number | null = null): ServiceForm {
  return {
    category_id: categoryId,
    name: '',
    name_en: '',
    description: '',
    image_url: '',
    skill: '',
    pricing_kind: 'fixed',
    unit_name: '',
    items: [{ code: '', name: '', name_en: '', unit_price: null, duration_minutes: 60 }],
    min_hours: null,
    max_hours: null,
    min_days: null,
    max_days: null,
    daily_hours: null,
    deposit: null,
    published: false,
    options: [],
  }
}

export function serviceFromApi(s: Service): ServiceForm {
  return {
    category_id: s.category_id,
    name: s.name ?? '',
    name_en: s.name_en ?? '',
    description: s.description ?? '',
    image_url: s.image_url ?? '',
    skill: s.skill ?? '',
    pricing_kind: s.pricing_kind,
    unit_name: s.unit_name ?? '',
    items: (s.items ?? []).map((i) => ({
      code: i.code,
      name: i.name,
      name_en: i.name_en ?? '',
      unit_price: fenToYuan(i.unit_price),
      duration_minutes: i.duration_minutes ?? null,
    })),
    min_hours: s.min_hours ?? null,
    max_hours: s.max_hours ?? null,
    min_days: s.min_days ?? null,
    max_days: s.max_days ?? null,
    daily_hours: s.daily_hours ?? null,
    deposit: fenToYuan(s.deposit),
    published: !!s.published,
    options: (s.options ?? []).map(optionFromApi),
  }
}


export function serviceToApi(f: ServiceForm): ServiceInput {
  return {
    category_id: f.category_id as number,
    name: f.name.trim(),
    name_en: f.name_en.trim(),
    description: f.description.trim(),
    image_url: f.image_url.trim() || null,
    skill: f.skill.trim(),
    pricing_kind: f.pricing_kind,
    unit_name: f.unit_name.trim(),
    items: f.items.map((i) => ({
      code: i.code.trim(),
      name: i.name.trim(),
      name_en: i.name_en.trim(),
      unit_price: yuanToFen(i.unit_price) ?? 0,
      duration_minutes: i.duration_minutes ?? 60,
    })),
    min_hours: f.min_hours,
    max_hours: f.max_hours,
    min_days: f.min_days,
    max_days: f.max_days,
    daily_hours: f.daily_hours,
    deposit: yuanToFen(f.deposit) ?? 0,
    published: f.published,
    options: f.options.map(optionToApi),
  }
}

/** Problems in the items table / hour and day ranges (i18n keys under catalog.svcErr). */
export function validateService(f: ServiceForm): string[] {
  const errs: string[] = []
  if (!f.items.length) errs.push('itemsRequired')
  const codes = new Set<string>()
  for (const i of f.items) {
    if (!i.code.trim() || !i.name.trim() || i.unit_price === null) {
      errs.push('itemIncomplete')
      break
    }
    if (!CODE_RE.test(i.code.trim())) {
      errs.push('itemCodeFormat')
      break
    }
    if (i.duration_minutes !== null && (i.duration_minutes < 10 || i.duration_minutes > 1440)) {
      errs.push('itemDuration')
      break
    }
    if (codes.has(i.code.trim())) {
      errs.push('itemDuplicate')
      break
    }
    codes.add(i.code.trim())
    if (i.unit_price < 0) {
      errs.push('itemNegative')
      break
    }
  }
  if (f.min_hours !== null && f.max_hours !== null && f.min_hours > f.max_hours) errs.push('hoursRange')
  if (f.min_days !== null && f.max_days !== null && f.min_days > f.max_days) errs.push('daysRange')
  return errs
}
