/** The requirement form of a service: initial values, validation and the request bodies built from it. */
import type {
  OptionValue,
  Order,
  WorkRequest,
  OrderCreate,
  QuoteItem,
  QuoteRequest,
  Service,
  ServiceOption,
} from './types'
import { requestOf } from './types'
import { addDays, todayShanghai } from './dates'

/** A quote request; `address_id` names the booking's address for the log (the server prices by region). */
export type QuoteBody = QuoteRequest & { address_id?: number }

export interface BookingForm {
  /** option code → value (undefined = not answered) */
  options: Record<string, OptionValue | undefined>
  /** fixed services: item code → quantity (0 = not chosen) */
  quantities: Record<string, number>
  /** hourly services */
  hours: number
  /** package services */
  start_date: string
  end_date: string
  daily_hours: number
  notes: string
}

function clamp(n: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, n))
}

export function hoursRange(service: Service): [number, number] {
  const lo = service.min_hours || 1
  const hi = Math.max(lo, service.max_hours || 12)
  return [lo, hi]
}

export function daysRange(service: Service): [number, number] {
  const lo = service.min_days || 1
  const hi = Math.max(lo, service.max_days || 365)
  return [lo, hi]
}

/** The starting value of one option (its default; required singles start on the first choice). */
export function initialOptionValue(o: ServiceOption): OptionValue | undefined {
  const d = o.default
  switch (o.type) {
    case 'single':
      if (typeof d === 'string' && o.choices?.some((c) => c.code === d)) return d
      return o.required && o.choices?.length ? o.choices[0].code : undefined
    case 'multi':
      return Array.isArray(d) ? d.filter((v) => o.choices?.some((c) => c.code === v)) : []
    case 'bool':
      return typeof d === 'boolean' ? d : false
    case 'number': {
      const lo = o.min ?? 0
      const hi = o.max ?? 10000
      return typeof d === 'number' ? clamp(d, lo, hi) : lo
    }
    case 'text':
      return typeof d === 'string' ? d : ''
  }
  return undefined
}

/** A fresh form for a service; `prefill` (e.g. from /orders/{id}/rebook) overrides the defaults. */
export function initialForm(
  service: Service,
  prefill?: { [K in 'items' | 'hours' | 'start_date' | 'end_date' | 'daily_hours' | 'options' | 'notes']?: OrderCreate[K] | null },
  today: string = todayShanghai(),
): BookingForm {
  const options: BookingForm['options'] = {}
  for (const o of service.options || []) options[o.code] = initialOptionValue(o)
  const quantities: Record<string, number> = {}
  service.items.forEach((it, i) => (quantities[it.code] = service.pricing_kind === 'fixed' && i === 0 ? 1 : 0))
  const [hLo, hHi] = hoursRange(service)
  const [dLo] = daysRange(service)
  const start = addDays(today, 1)
  const form: BookingForm = {
    options,
    quantities,
    hours: clamp(Math.max(hLo, 2), hLo, hHi),
    start_date: start,
    end_date: addDays(start, dLo - 1),
    daily_hours: service.daily_hours || 8,
    notes: '',
  }
  if (prefill) {
    if (prefill.items?.length && service.pricing_kind === 'fixed') {
      for (const k of Object.keys(quantities)) quantities[k] = 0
      for (const it of prefill.items) if (it.code in quantities) quantities[it.code] = it.quantity
    }
    if (prefill.hours) form.hours = clamp(prefill.hours, hLo, hHi)
    if (prefill.daily_hours) form.daily_hours = prefill.daily_hours
    if (prefill.start_date && prefill.start_date > today) form.start_date = prefill.start_date
    if (prefill.end_date && prefill.end_date >= form.start_date) form.end_date = prefill.end_date
    for (const [k, v] of Object.entries(prefill.options || {})) if (k in options) options[k] = v
    if (prefill.notes) form.notes = prefill.notes
  }
  return form
}

/** Only the answered options, in the shape the API expects. */
export function optionValues(service: Service, form: BookingForm): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {}
  for (const o of service.options || []) {
    const v = form.options[o.code]
    if (v === undefined || v === null) continue
    if (o.type === 'text') {
      const s = String(v).trim()
      if (s) out[o.code] = s
    } else if (o.type === 'multi') {
      if (Array.isArray(v) && v.length) out[o.code] = [...v]
    } else if (o.type === 'number') {
      out[o.code] = Math.round(Number(v))
    } else if (o.type === 'bool') {
      out[o.code] = !!v
    } else if (v !== '') {
      out[o.code] = v
    }
  }
  return out
}

export function chosenItems(service: Service, form: BookingForm): QuoteItem[] {
  if (service.pricing_kind !== 'fixed') return []
  return service.items
    .filter((it) => (form.quantities[it.code] || 0) > 0)
    .map((it) => ({ code: it.code, quantity: Math.round(form.quantities[it.code]) }))
}

/** Number of days a package form covers (inclusive); 0 when the dates are missing or reversed. */
export function packageDays(form: BookingForm): number {
  if (!form.start_date || !form.end_date) return 0
  const a = Date.parse(form.start_date + 'T00:00:00Z')
  const b = Date.parse(form.end_date + 'T00:00:00Z')
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return 0
  return Math.round((b - a) / 86400000) + 1
}

/** The kind-specific part shared by quotes, orders and plans. */
export function workPart(service: Service, form: BookingForm): Pick<QuoteRequest, 'items' | 'hours' | 'start_date' | 'end_date' | 'daily_hours'> {
  const part: Pick<QuoteRequest, 'items' | 'hours' | 'start_date' | 'end_date' | 'daily_hours'> = {
    items: chosenItems(service, form),
  }
  if (service.pricing_kind === 'hourly') part.hours = form.hours
  if (service.pricing_kind === 'package') {
    part.start_date = form.start_date
    part.end_date = form.end_date
    part.daily_hours = form.daily_hours
  }
  return part
}

export function buildQuoteRequest(
  service: Service,
  form: BookingForm,
  extra: { start?: string; address_id?: number; region_id?: number } = {},
): QuoteBody {
  const req: QuoteBody = { service_id: service.id, ...workPart(service, form), options: optionValues(service, form) }
  if (extra.start) req.start = extra.start
  if (extra.address_id) req.address_id = extra.address_id
  if (extra.region_id) req.region_id = extra.region_id
  return req
}

export function buildOrderBody(service: Service, form: BookingForm, address_id: number, start: string): OrderCreate {
  const body: OrderCreate = {
    service_id: service.id,
    address_id,
    start,
    ...workPart(service, form),
    options: optionValues(service, form),
  }
  const notes = form.notes.trim()
  if (notes) body.notes = notes
  return body
}

export type FormProblem =
  | { key: 'booking.err.items' }
  | { key: 'booking.err.hours'; min: number; max: number }
  | { key: 'booking.err.days'; min: number; max: number }
  | { key: 'booking.err.required'; option: string }

/** The first thing that keeps the form from being priced, or null. `label` picks the option label. */
export function validateForm(service: Service, form: BookingForm, label: (o: ServiceOption) => string = (o) => o.label): FormProblem | null {
  if (service.pricing_kind === 'fixed' && chosenItems(service, form).length === 0) return { key: 'booking.err.items' }
  if (service.pricing_kind === 'hourly') {
    const [lo, hi] = hoursRange(service)
    if (!(form.hours >= lo && form.hours <= hi)) return { key: 'booking.err.hours', min: lo, max: hi }
  }
  if (service.pricing_kind === 'package') {
    const [lo, hi] = daysRange(service)
    const d = packageDays(form)
    if (d < lo || d > hi) return { key: 'booking.err.days', min: lo, max: hi }
  }
  const values = optionValues(service, form)
  for (const o of service.options || []) {
    if (o.required && values[o.code] === undefined) {
      return { key: 'booking.err.required', option: label(o) }
    }
  }
  return null
}

/**
 * Availability query parameters that set the visit's length: `hours` (hourly), `items` as
 * "code:qty,…" (fixed), `end_date` (package) and the answered options as a JSON object.
 */
export function availabilityParams(
  service: Service,
  form: BookingForm,
): { hours?: number; items?: string; options?: string; end_date?: string } {
  const out: { hours?: number; items?: string; options?: string; end_date?: string } = {}
  if (service.pricing_kind === 'hourly') out.hours = form.hours
  if (service.pricing_kind === 'package') out.end_date = form.end_date
  const items = chosenItems(service, form)
  if (items.length) out.items = items.map((i) => `${i.code}:${i.quantity}`).join(',')
  const options = optionValues(service, form)
  if (Object.keys(options).length) out.options = JSON.stringify(options)
  return out
}

export interface SummaryRow {
  label: string
  value: string
}

/**
 * Human-readable requirement rows ("重点区域: 灶台、抽油烟机").
 * `en` picks the English labels where present; `yesNo` renders booleans.
 */
export function requirementRows(
  options: ServiceOption[] | undefined,
  values: Record<string, OptionValue | undefined>,
  opts: { en?: boolean; yes?: string; no?: string; sep?: string } = {},
): SummaryRow[] {
  const { en = false, yes = '是', no = '否', sep = en ? ', ' : '、' } = opts
  const lbl = (x: { label: string; label_en?: string }) => (en && x.label_en ? x.label_en : x.label)
  const rows: SummaryRow[] = []
  for (const o of options || []) {
    const v = values[o.code]
    if (v === undefined || v === null || v === '') continue
    let value = ''
    if (o.type === 'single') value = lbl(o.choices?.find((c) => c.code === v) || { label: String(v) })
    else if (o.type === 'multi') {
      if (!Array.isArray(v) || !v.length) continue
      value = v.map((code) => lbl(o.choices?.find((c) => c.code === code) || { label: code })).join(sep)
    } else if (o.type === 'bool') {
      if (v !== true && v !== false) continue
      value = v ? yes : no
    } else if (o.type === 'number') value = `${v}${o.unit || ''}`
    else value = String(v)
    rows.push({ label: lbl(o), value })
  }
  return rows
}

/** What an order asked for (its `request`). */
export function orderWork(o: Pick<Order, 'request'>): WorkRequest {
  const r = requestOf(o)
  return {
    items: r.items || [],
    options: r.options || {},
    hours: r.hours ?? null,
    start_date: r.start_date ?? null,
    end_date: r.end_date ?? null,
    daily_hours: r.daily_hours ?? null,
  }
}

/** initialForm() prefill from a WorkRequest (nulls dropped). */
export function prefillOf(w: WorkRequest): Parameters<typeof initialForm>[1] {
  return {
    items: w.items || undefined,
    options: w.options || undefined,
    hours: w.hours || undefined,
    start_date: w.start_date || undefined,
    end_date: w.end_date || undefined,
    daily_hours: w.daily_hours || undefined,
  }
}
