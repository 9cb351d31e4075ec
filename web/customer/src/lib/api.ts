import { createUniFetch } from '@anjia/shared/src/api/mini-fetch'
import { useApi } from '@anjia/shared/src/uni/session'
import { createBookingApi, type BookingApi } from '@anjia/shared/src/booking/api'
import { API_BASE } from '../config'

let instance: BookingApi | null = null

/** The booking API of this app (created on first use, after initSession). */
export function useBooking(): BookingApi {
  if (!instance) {
    const hasFetch = typeof fetch === 'function' && typeof Request === 'function'
    instance = createBookingApi(useApi(), {
      baseUrl: API_BASE,
      fetch: (hasFetch ? fetch.bind(globalThis) : createUniFetch(uni.request as never)) as never,
    })
  }
  return instance
}
