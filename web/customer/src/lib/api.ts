import { useApi } from '@anjia/shared/src/uni/session'
import { createBookingApi, type BookingApi } from './booking/api'

let instance: BookingApi | null = null

/** The booking API of this app (created on first use, after initSession). */
export function useBooking(): BookingApi {
  if (!instance) instance = createBookingApi(useApi())
  return instance
}
