/** The booking in progress, shared by the service, time, address and confirm pages (kept in storage for H5 reloads). */
import { reactive } from 'vue'
import type { Address, Order, Quote, Service, Slot } from './booking/types'
import type { BookingForm } from './booking/form'

export interface Draft {
  service: Service | null
  form: BookingForm | null
  quote: Quote | null
  address: Address | null
  slot: Pick<Slot, 'start' | 'end'> | null
  /** set when the pages change an existing order instead of booking a new one */
  orderId: number | null
  /** the order being changed (for its address and current time) */
  order: Order | null
  /** book with this worker (from their card), when they are free */
  worker: { id: number; name: string } | null
}

const KEY = 'anjia.customer.draft'

function load(): Draft {
  const empty: Draft = { service: null, form: null, quote: null, address: null, slot: null, orderId: null, order: null, worker: null }
  try {
    const raw = uni.getStorageSync(KEY)
    if (raw) return { ...empty, ...(typeof raw === 'string' ? JSON.parse(raw) : raw) }
  } catch {
    /* ignore */
  }
  return empty
}

export const draft = reactive<Draft>(load())

export function saveDraft(patch: Partial<Draft> = {}): void {
  Object.assign(draft, patch)
  try {
    uni.setStorageSync(KEY, JSON.stringify(draft))
  } catch {
    /* storage full: keep it in memory */
  }
}

/** A fresh booking (or change) of `service`. */
export function startDraft(service: Service, form: BookingForm, orderId: number | null = null, order: Order | null = null): void {
  saveDraft({ service, form, quote: null, slot: null, orderId, order, address: orderId ? draft.address : draft.address })
}

/** Address chosen on the address list in "choose" mode. */
export function chooseAddress(a: Address): void {
  saveDraft({ address: a })
}

const SIGN_IN_KEY = 'anjia.customer.signInFrom'

/** An anonymous visitor asked to sign in at 选择时间: keep the choices made on the service page for their return. */
export function keepForSignIn(service: Service, form: BookingForm): void {
  startDraft(service, form)
  try {
    uni.setStorageSync(SIGN_IN_KEY, service.id)
  } catch {
    /* without storage the page starts from its defaults */
  }
}

/** Back on the service page after signing in: the choices kept for it (once), else null. */
export function keptForSignIn(serviceId: number): BookingForm | null {
  let from: unknown = null
  try {
    from = uni.getStorageSync(SIGN_IN_KEY)
    uni.removeStorageSync(SIGN_IN_KEY)
  } catch {
    return null
  }
  return Number(from) === serviceId && draft.service?.id === serviceId && draft.form ? JSON.parse(JSON.stringify(draft.form)) : null
}
