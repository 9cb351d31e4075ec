/**
 * Booking types from docs/api.md "# Booking (issue 4)". Local until the backend publishes
 * the admin routes in openapi.json; then replaced by types derived from src/api/schema.d.ts.
 */
export type PricingKind = 'fixed' | 'hourly' | 'package'
export type OptionType = 'single' | 'multi' | 'bool' | 'number' | 'text'
export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'accepted'
  | 'on_the_way'
  | 'in_service'
  | 'completed'
  | 'cancelled'
  | 'dispatch_failed'

export interface ServiceItem {
  code: string
  name: string
  unit_price: number
  duration_minutes: number
}

export interface OptionChoice {
  code: string
  label: string
  label_en?: string | null
  surcharge?: number | null
  surcharge_bp?: number | null
  extra_minutes?: number | null
}

export interface ServiceOption {
  code: string
  type: OptionType
  label: string
  label_en?: string | null
  required: boolean
  choices?: OptionChoice[] | null
  min?: number | null
  max?: number | null
  unit?: string | null
  per_unit_surcharge?: number | null
  included_units?: number | null
  surcharge?: number | null
  max_length?: number | null
  default?: unknown
}

export interface Service {
  id: number
  category_id: number
  category_name?: string
  name: string
  name_en?: string | null
  description?: string | null
  image_url?: string | null
  skill?: string | null
  pricing_kind: PricingKind
  unit_name?: string | null
  items: ServiceItem[]
  min_hours?: number | null
  max_hours?: number | null
  min_days?: number | null
  max_days?: number | null
  daily_hours?: number | null
  deposit?: number | null
  options: ServiceOption[]
  published: boolean
  sort?: number
  region_prices?: RegionPrice[] | null
}

export type ServiceInput = Omit<Service, 'id' | 'category_name' | 'sort' | 'region_prices'>

export interface Category {
  id: number
  name: string
  name_en?: string | null
  icon?: string | null
  sort?: number
  services: Service[]
}

export interface CategoryInput {
  name: string
  name_en?: string | null
  icon?: string | null
  sort?: number
}

export interface RegionPrice {
  region_id: number
  item_code: string
  unit_price: number
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
export type RegionInput = Omit<Region, 'id'>

export interface BookingRules {
  payment_window_minutes: number
  free_cancel_hours: number
  late_cancel_fee_bp: number
  min_lead_minutes: number
  max_horizon_days: number
  slot_step_minutes: number
  travel_buffer_minutes: number
  evening_start: string
  evening_surcharge_bp: number
  holiday_surcharge_bp: number
}

export interface Holiday {
  id?: number
  date: string
  name: string
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
  service_id: number
  lines: QuoteLine[]
  subtotal: number
  surcharge_total: number
  discount_total: number
  total: number
  deposit: number
  duration_minutes: number
  currency: string
}

export interface TimelineEntry {
  type: string
  label: string
  at: string
  data?: unknown
}

export interface OrderAddress {
  contact_name?: string
  contact_phone?: string
  province?: string
  city?: string
  district?: string
  detail?: string
  lat?: number
  lng?: number
  region_id?: number | null
}

export interface OrderCustomer {
  id?: number
  nickname?: string | null
  phone?: string | null
}

export interface OrderSummary {
  id: number
  number: string
  status: OrderStatus
  status_label?: string
  customer?: OrderCustomer | null
  customer_phone?: string | null
  service: { id: number; name: string; pricing_kind?: PricingKind }
  start: string
  end?: string
  total: number
  created_at?: string
}

export interface Order extends OrderSummary {
  items: { code: string; quantity: number; name?: string }[]
  options: Record<string, unknown>
  hours?: number | null
  duration_minutes: number
  timezone: string
  address: OrderAddress
  quote: Quote
  deposit: number
  payment_due_at?: string | null
  worker?: { id: number; nickname?: string | null; avatar_url?: string | null; rating?: number | null } | null
  plan_id?: number | null
  timeline: TimelineEntry[]
  notes?: string | null
  cancel_fee?: number | null
}

export interface WeeklyRange {
  weekday: number
  start: string
  end: string
}

export interface Leave {
  id?: number
  start: string
  end: string
  reason?: string | null
}

export interface Worker {
  id: number
  nickname?: string | null
  phone?: string | null
  skills: string[]
  region_id?: number | null
  region_name?: string | null
  verified: boolean
  active: boolean
  radius_km?: number | null
  home_lat?: number | null
  home_lng?: number | null
  weekly?: WeeklyRange[] | null
  leaves?: Leave[] | null
}

export interface WorkerPatch {
  skills?: string[]
  region_id?: number | null
  verified?: boolean
  active?: boolean
  radius_km?: number | null
  home_lat?: number | null
  home_lng?: number | null
}

export interface Page<T> {
  items: T[]
  total: number
  page?: number
  page_size?: number
}

export interface OrderQuery {
  status?: OrderStatus
  q?: string
  service_id?: number
  from?: string
  to?: string
  page?: number
  page_size?: number
}
