/**
 * App-wide event stream for the customer and worker apps (uni glue around `RealtimeClient`).
 * Pages subscribe while they are shown; the socket is open while anyone listens.
 * Listeners get each event, or `null` after a (re)connect that may have missed events (reload everything).
 */
import { RealtimeClient, h5SocketFactory, uniSocketFactory, type RealtimeEvent, type RealtimeStatus } from './client'
import { sessionConfig, uniTokenStore, useApi } from '../uni/session'

export type LiveListener = (e: RealtimeEvent | null) => void

const listeners = new Set<LiveListener>()
let client: RealtimeClient | null = null
let stopTimer: ReturnType<typeof setTimeout> | null = null

function emit(e: RealtimeEvent | null) {
  for (const l of Array.from(listeners)) {
    try {
      l(e)
    } catch {
      /* a page's problem */
    }
  }
}

function makeClient(onStatus?: (s: RealtimeStatus) => void): RealtimeClient {
  const cfg = sessionConfig()
  const tokens = uniTokenStore(cfg.app)
  const connect =
    typeof WebSocket === 'function'
      ? h5SocketFactory()
      : uniSocketFactory(uni.connectSocket as unknown as (o: Record<string, unknown>) => unknown)
  return new RealtimeClient({
    baseUrl: cfg.baseUrl,
    getToken: () => tokens.getAccess(),
    connect,
    onEvent: (e) => emit(e),
    onReady: (resumed) => {
      if (!resumed) emit(null)
    },
    // any authenticated call refreshes an expired access token
    onAuthFailed: () => useApi().me.get(),
    onStatus,
  })
}

/** Listen to events; returns the unsubscribe function. */
export function subscribeLive(fn: LiveListener): () => void {
  listeners.add(fn)
  if (stopTimer) clearTimeout(stopTimer)
  stopTimer = null
  if (!client) client = makeClient()
  client.start()
  return () => {
    listeners.delete(fn)
    if (listeners.size) return
    // page → page navigation unsubscribes and resubscribes: keep the socket for a moment
    if (stopTimer) clearTimeout(stopTimer)
    stopTimer = setTimeout(() => {
      stopTimer = null
      if (!listeners.size && client) client.stop()
    }, 3000)
  }
}

/** State of the socket (for a "live" indicator). */
export function liveStatus(): RealtimeStatus {
  return client ? client.status : 'idle'
}
