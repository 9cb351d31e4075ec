/**
 * Live updates of one order: its WS events (a reload, several events of one change → one reload), the
 * worker's ETA from `worker.location`, and polling every 15 s while the socket is down.
 */
import { ref } from 'vue'
import { liveStatus, subscribeLive } from '@anjia/shared/src/realtime/live'
import { POLL_MS, etaFromEvent, isOrderEvent, trackFromEvent } from '../../lib/progress'

export function useOrderLive(orderId: () => number, status: () => string, reload: () => void) {
  const eta = ref<number | null>(null)
  /** the worker's last reported position and the provider's driving route to the address, when there is one */
  const track = ref<ReturnType<typeof trackFromEvent>>(null)
  const socketOpen = ref(false)
  let unsubscribe: (() => void) | null = null
  let poll: ReturnType<typeof setInterval> | null = null
  let reloadTimer: ReturnType<typeof setTimeout> | null = null

  /** Several events of one change arrive together: one reload. */
  function scheduleReload() {
    if (reloadTimer) return
    reloadTimer = setTimeout(() => {
      reloadTimer = null
      reload()
    }, 150)
  }

  function follow() {
    if (!unsubscribe) {
      unsubscribe = subscribeLive((e) => {
        socketOpen.value = liveStatus() === 'open'
        if (e === null) return scheduleReload() // reconnected: events may be missed
        if (e.type === 'worker.location') {
          const m = etaFromEvent(orderId(), e.payload)
          if (m !== null) eta.value = m
          const tr = trackFromEvent(orderId(), e.payload)
          if (tr) track.value = tr
          return
        }
        if (isOrderEvent(orderId(), e)) scheduleReload()
      })
    }
    if (!poll) {
      poll = setInterval(() => {
        socketOpen.value = liveStatus() === 'open'
        if (!socketOpen.value && !['completed', 'cancelled'].includes(status())) reload()
      }, POLL_MS)
    }
    setTimeout(() => (socketOpen.value = liveStatus() === 'open'), 1500)
  }

  function unfollow() {
    unsubscribe?.()
    unsubscribe = null
    if (poll) clearInterval(poll)
    poll = null
    if (reloadTimer) clearTimeout(reloadTimer)
    reloadTimer = null
  }

  return { eta, track, socketOpen, follow, unfollow }
}
