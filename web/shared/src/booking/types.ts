/** Booking types written from docs/api.md "# Booking (issue 4)" (the generated schema lags behind). */

export type PricingKind = 'fixed' | 'hourly' | 'package'
export type OptionType = 'single' | 'multi' | 'bool' | 'number' | 'text'
export type OptionValue = string | boolean | number | string[]

export interface ServiceSummary {
  id: number
  name: string
  name_en?: string
  image_url?: string | null
  pricing_kind: PricingKind
  unit_name?: string
  from_price?: number
  published?: boolean
  sort?: number
}

export interface Category {
  id: number
  name: string
  name_en?: string
  icon?: string
  sort?: number
  services: ServiceSummary[]
}

export interface Choice {
  code: string
  label: string
  label_en?: string
  surcharge?: number
  surcharge_bp?: number
  extra_minutes?: number
}

export interface ServiceOption {
  code: string
  type: OptionType
  label: string
  label_en?: string
  required?: boolean
  choices?: Choice[] | null
  min?: number | null
  max?: number | null
  unit?: string | null
  per_unit_surcharge?: number | null
  included_units?: number | null
  surcharge?: number | null
  surcharge_bp?: number | null
  extra_minutes?: number | null
  max_length?: number | null
  default?: OptionValue | null
}

export interface ServiceItem {
  code: string
  name: string
  name_en?: string
  unit_price: number
  duration_minutes?: number
}

export interface Service {
  id: number
  category_id: number
  category_name?: string
  name: string
  name_en?: string
  description?: string
  image_url?: string | null
  skill?: string
  pricing_kind: PricingKind
  unit_name?: string
  items: ServiceItem[]
  min_hours?: number | null
  max_hours?: number | null
  min_days?: number | null
  max_days?: number | null
  daily_hours?: number | null
  deposit?: number
  options: ServiceOption[]
  published?: boolean
  sort?: number
}

export interface QuoteItem {
  code: string
  quantity: number
}

export interface QuoteRequest {
  service_id: number
  items: QuoteItem[]
  hours?: number
  start_date?: string
  end_date?: string
  daily_hours?: number
  options: Record<string, OptionValue>
  start?: string
  region_id?: number
  address_id?: number
}

export interface QuoteLine {
  kind: 'item' | 'option' | 'surcharge' | 'discount'
  code: string
  label: string
  quantity: number
  unit_price: number
  amount: number
}

export interface Quote {
  service_id?: number
  lines: QuoteLine[]
  subtotal: number
  surcharge_total: number
  discount_total: number
  total: number
  deposit: number
  duration_minutes: number
  days?: number
  currency?: string
}

export interface Region {
  id: number
  name: string
  city: string
  timezone: string
  center_lat: number
  center_lng: number
  radius_km: number
  opens: string
  closes: string
  active: boolean
}

export interface Address {
  id: number
  contact_name: string
  contact_phone: string
  province: string
  city: string
  district: string
  detail: string
  lat: number | null
  lng: number | null
  region_id: number | null
  is_default: boolean
}

export type AddressInput = Omit<Address, 'id' | 'region_id' | 'is_default'> & { is_default?: boolean }

export interface Slot {
  start: string
  end: string
  available: boolean
}

export interface Availability {
  timezone: string
  duration_minutes: number
  asap: { start: string; end: string } | null
  days: { date: string; slots: Slot[] }[]
}

export interface OrderItem {
  code: string
  quantity: number
  name?: string
}

export interface OrderCreate {
  service_id: number
  address_id: number
  start: string
  items: QuoteItem[]
  hours?: number
  start_date?: string
  end_date?: string
  daily_hours?: number
  options: Record<string, OptionValue>
  notes?: string
}

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'accepted'
  | 'on_the_way'
  | 'in_service'
  | 'completed'
  | 'cancelled'
  | 'dispatch_failed'

export interface AddressSnapshot {
  id?: number
  contact_name?: string
  contact_phone?: string
  province?: string
  city?: string
  district?: string
  detail?: string
  lat?: number | null
  lng?: number | null
}

export interface OrderSummary {
  id: number
  number?: string
  status: OrderStatus | string
  status_label?: string
  service?: { id: number; name: string; pricing_kind?: PricingKind; image_url?: string | null }
  service_name?: string
  start: string
  end?: string
  address?: AddressSnapshot
  /** one-line address (list rows) */
  address_text?: string
  total: number
  payment_due_at?: string | null
  created_at?: string
}

/** What was asked for (kept by the server as `request` on orders and plans). */
export interface WorkRequest {
  items?: QuoteItem[]
  options?: Record<string, OptionValue>
  hours?: number | null
  start_date?: string | null
  end_date?: string | null
  daily_hours?: number | null
}

export interface TimelineEntry {
  type: string
  label: string
  at: string
  data?: Record<string, unknown> | null
}

export interface Order extends OrderSummary {
  request?: WorkRequest
  items?: OrderItem[]
  options?: Record<string, OptionValue>
  price_difference?: number
  hours?: number | null
  start_date?: string | null
  end_date?: string | null
  daily_hours?: number | null
  duration_minutes?: number
  timezone?: string
  quote?: Quote
  deposit?: number
  worker?: { id: number; nickname?: string; avatar_url?: string | null; rating?: number | null } | null
  plan_id?: number | null
  can_modify?: boolean
  can_cancel?: boolean
  cancel_fee_now?: number
  cancel_fee?: number
  timeline?: TimelineEntry[]
  notes?: string | null
}

export interface OrderPatch {
  start?: string
  items?: QuoteItem[]
  options?: Record<string, OptionValue>
  hours?: number
  address_id?: number
  notes?: string
}

export type CancelReason = 'change_of_plans' | 'booked_by_mistake' | 'price' | 'other'

export type Frequency = 'weekly' | 'biweekly' | 'twice_monthly' | 'custom'
export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU'

export interface PlanCreate {
  service_id: number
  address_id: number
  items: QuoteItem[]
  hours?: number
  options: Record<string, OptionValue>
  notes?: string
  frequency: Frequency
  rrule?: string
  weekdays?: Weekday[]
  start_date: string
  time: string
  end_date?: string
}

export interface PlanPatch {
  from_date: string
  frequency?: Frequency
  time?: string
  weekdays?: Weekday[]
  rrule?: string
  items?: QuoteItem[]
  options?: Record<string, OptionValue>
  hours?: number
}

export interface Plan {
  id: number
  status: 'active' | 'paused' | 'ended' | string
  frequency: Frequency
  rrule?: string | null
  weekdays?: Weekday[] | null
  time: string
  start_date: string
  end_date?: string | null
  service: { id: number; name: string; pricing_kind?: PricingKind }
  address_id?: number
  address_text?: string
  address?: AddressSnapshot | null
  request?: WorkRequest
  preferred_worker_id?: number | null
  preferred_worker?: { id: number; nickname?: string } | null
  next_occurrences: string[]
  skipped_dates?: string[]
  orders?: OrderSummary[]
  items?: QuoteItem[]
  options?: Record<string, OptionValue>
  hours?: number | null
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}
