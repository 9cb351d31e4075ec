/**
 * The phone's position: one reading (`uni.getLocation`, gcj02, with a timeout) and, while an order is on
 * the way or in service, a report every 30 s (the customer's ETA and the operators' live map read it).
 */
import { ApiProblem } from '@anjia/shared/src/api/problem'
import { useApi } from '@anjia/shared/src/uni/session'
import { dispatchApi } from '../lib/api'
import { LOCATION_INTERVAL_MS } from '../lib/offers'

export interface Point {
  lat: number
  lng: number
}

/** `uni.getLocation` (gcj02) with a timeout: some H5 browsers never answer. */
export function locate(timeoutMs = 8000): Promise<Point> {
  return new Promise((resolve, reject) => {
    let done = false
    const timer = setTimeout(() => {
      if (done) return
      done = true
      reject(new Error('timeout'))
    }, timeoutMs)
    try {
      uni.getLocation({
        type: 'gcj02',
        success: (r) => {
          if (done) return
          done = true
          clearTimeout(timer)
          resolve({ lat: r.latitude, lng: r.longitude })
        },
        fail: (err) => {
          if (done) return
          done = true
          clearTimeout(timer)
          reject(err)
        },
      })
    } catch (err) {
      done = true
      clearTimeout(timer)
      reject(err)
    }
  })
}

export function useLocationReport(reload: () => void) {
  let timer: ReturnType<typeof setInterval> | null = null
  /** The last position read (reports reuse it when a reading fails). */
  let lastPoint: Point | null = null

  async function reportNow() {
    let p: Point | null = null
    try {
      p = await locate(10000)
      lastPoint = p
    } catch {
      p = lastPoint
    }
    if (!p) return
    try {
      await dispatchApi(useApi()).location(p.lat, p.lng)
    } catch (e) {
      // not_in_service: the status moved on elsewhere
      if (e instanceof ApiProblem && e.code === 'not_in_service') reload()
    }
  }

  /** Report while `want`, stop otherwise. */
  function sync(want: boolean) {
    if (want && !timer) timer = setInterval(reportNow, LOCATION_INTERVAL_MS)
    if (!want && timer) {
      clearInterval(timer)
      timer = null
    }
  }

  function remember(p: Point) {
    lastPoint = p
  }

  return { reportNow, sync, remember }
}
