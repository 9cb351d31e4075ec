/**
 * The staff event stream (WS /api/v1/ws with the admin's access token): one shared
 * RealtimeClient (web/shared/src/realtime/client.ts) while any view listens.
 * Listeners get each event, or null after a connect that may have missed events (reload).
 */
import { ref } from 'vue'
import { RealtimeClient, h5SocketFactory, type RealtimeStatus } from '@anjia/shared/src/realtime/client'
import type { RealtimeEvent } from '@anjia/shared/src/realtime/client'
import { api, tokenStore } from '../api/client'

export type StaffEvent = RealtimeEvent
export type StaffListener = (e: StaffEvent | null) => void

const listeners = new Set<StaffListener>()
let client: RealtimeClient | null = null
export const staffSocketStatus = ref<RealtimeStatus>('idle')

function emit(e: StaffEvent | null) {
  for (const l of Array.from(listeners)) {
    try {
      l(e)
    } catch {
      /* a view's problem */
    }
  }
}

export function subscribeStaff(fn: StaffListener): () => void {
  listeners.add(fn)
  if (!client) {
    client = new RealtimeClient({
      baseUrl: '',
      getToken: () => tokenStore.get()?.access_token ?? null,
      connect: h5SocketFactory(),
      onEvent: (e) => emit(e),
      onReady: (resumed) => {
        if (!resumed) emit(null)
      },
      // an authenticated call refreshes an expired access token (authFetch)
      onAuthFailed: () => api.GET('/api/v1/me'),
      onStatus: (s) => (staffSocketStatus.value = s),
    })
  }
  client.start()
  return () => {
    listeners.delete(fn)
    if (!listeners.size && client) client.stop()
  }
}
