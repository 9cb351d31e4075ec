/**
 * Event stream client for `WS /api/v1/ws?token=…&last_event_id=…` (docs/api.md, issue 5).
 *
 * - reconnects with exponential backoff (1 s, 2 s, 4 s … capped at 30 s), reset once the server says `ready`;
 * - resumes with `last_event_id` = the id of the last event seen, so the server replays what was missed;
 * - a close with code 4401 (bad / expired token) asks `onAuthFailed()` (e.g. an API call that refreshes the token)
 *   before the next attempt; no token at all → stays idle until `start()` is called again.
 *
 * The transport is injected (`SocketFactory`), so the logic runs in tests with a fake socket;
 * `h5SocketFactory()` and `uniSocketFactory()` adapt the browser WebSocket and `uni.connectSocket`.
 */
/** A frame of `WS /api/v1/ws`: events carry `id`, `topic`, `type`, `payload`; the server also sends `{type: "ready"}`. */
export interface RealtimeEvent {
  id?: number
  topic?: string
  type: string
  payload?: Record<string, unknown>
  [k: string]: unknown
}

export interface SocketHandlers {
  onOpen: () => void
  onMessage: (data: string) => void
  onClose: (code: number, reason: string) => void
}

export interface SocketConn {
  close: () => void
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketConn

export interface RealtimeOptions {
  /** Origin of the API ("" → the page origin in H5). */
  baseUrl: string
  /** Current access token (null → signed out: don't connect). */
  getToken: () => string | null
  connect: SocketFactory
  onEvent: (e: RealtimeEvent) => void
  /** After (re)connecting: `resumed` is false when events may have been missed (first connect, or no id to resume from). */
  onReady?: (resumed: boolean) => void
  /** The server refused the token (close 4401); resolve once a fresh token may be there. */
  onAuthFailed?: () => Promise<unknown>
  onStatus?: (s: RealtimeStatus) => void
  initialDelayMs?: number
  maxDelayMs?: number
  /** Location for H5 (defaults to globalThis.location). */
  location?: { protocol: string; host: string }
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (h: unknown) => void
}

export type RealtimeStatus = 'idle' | 'connecting' | 'open' | 'waiting'

export const AUTH_CLOSE_CODE = 4401

/** `ws(s)://host/api/v1/ws?token=…[&last_event_id=…]` from the API base (or the page origin when it is ""). */
export function wsUrl(
  baseUrl: string,
  token: string,
  lastEventId: number,
  location?: { protocol: string; host: string },
): string {
  let origin: string
  if (baseUrl) origin = baseUrl.replace(/\/+$/, '').replace(/^http(s?):\/\//i, (_m, s: string) => `ws${s}://`)
  else if (location) origin = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`
  else origin = 'ws://127.0.0.1:8000'
  let url = `${origin}/api/v1/ws?token=${encodeURIComponent(token)}`
  if (lastEventId > 0) url += `&last_event_id=${lastEventId}`
  return url
}

/** Delay before reconnect attempt `attempt` (0-based). */
export function backoffDelay(attempt: number, initialMs = 1000, maxMs = 30000): number {
  return Math.min(maxMs, initialMs * Math.pow(2, Math.max(0, attempt)))
}

export class RealtimeClient {
  lastEventId = 0
  status: RealtimeStatus = 'idle'
  private conn: SocketConn | null = null
  private timer: unknown = null
  private attempt = 0
  private running = false
  private generation = 0
  private authRetry = false

  constructor(private readonly opts: RealtimeOptions) {}

  private setStatus(s: RealtimeStatus) {
    this.status = s
    this.opts.onStatus?.(s)
  }

  private get loc() {
    if (this.opts.location) return this.opts.location
    const g = globalThis as { location?: { protocol: string; host: string } }
    return g.location && g.location.host ? g.location : undefined
  }

  /** Connect (no-op while running). */
  start(): void {
    if (this.running) return
    this.running = true
    this.attempt = 0
    this.open()
  }

  /** Disconnect and stop reconnecting. `lastEventId` is kept for the next `start()`. */
  stop(): void {
    this.running = false
    this.generation++
    this.clearTimer()
    const c = this.conn
    this.conn = null
    if (c) {
      try {
        c.close()
      } catch {
        /* ignore */
      }
    }
    this.setStatus('idle')
  }

  get active(): boolean {
    return this.running
  }

  private clearTimer() {
    if (this.timer != null) (this.opts.clearTimer || ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.timer)
    this.timer = null
  }

  private open() {
    if (!this.running) return
    const token = this.opts.getToken()
    if (!token) {
      this.running = false
      this.setStatus('idle')
      return
    }
    const gen = ++this.generation
    const resumeFrom = this.lastEventId
    this.setStatus('connecting')
    const mine = () => gen === this.generation && this.running
    try {
      this.conn = this.opts.connect(wsUrl(this.opts.baseUrl, token, resumeFrom, this.loc), {
        onOpen: () => {
          if (mine()) this.setStatus('open')
        },
        onMessage: (data) => {
          if (mine()) this.handle(data, resumeFrom)
        },
        onClose: (code) => {
          if (!mine()) return
          this.conn = null
          this.generation++
          this.scheduleReconnect(code)
        },
      })
    } catch {
      this.conn = null
      this.generation++
      this.scheduleReconnect(0)
    }
  }

  private handle(data: string, resumeFrom: number) {
    let e: RealtimeEvent
    try {
      e = JSON.parse(data) as RealtimeEvent
    } catch {
      return
    }
    if (!e || typeof e.type !== 'string') return
    if (e.type === 'ready') {
      this.attempt = 0
      this.authRetry = false
      this.opts.onReady?.(resumeFrom > 0)
      return
    }
    if (typeof e.id === 'number') {
      if (e.id <= this.lastEventId) return // replayed twice
      this.lastEventId = e.id
    }
    this.opts.onEvent(e)
  }

  private scheduleReconnect(code: number) {
    if (!this.running) return
    this.setStatus('waiting')
    const auth = code === AUTH_CLOSE_CODE
    // The first auth failure retries right after the refresh; later ones back off like any other failure.
    const delay = auth && !this.authRetry ? 0 : backoffDelay(this.attempt++, this.opts.initialDelayMs, this.opts.maxDelayMs)
    const gen = this.generation
    const go = () => {
      if (!this.running || gen !== this.generation) return
      this.timer = (this.opts.setTimer || ((fn, ms) => setTimeout(fn, ms)))(() => {
        this.timer = null
        if (this.running && gen === this.generation) this.open()
      }, delay)
    }
    if (auth && this.opts.onAuthFailed) {
      this.authRetry = true
      this.opts.onAuthFailed().then(go, go)
    } else go()
  }
}

/* ---- transports ---- */

/** Browser WebSocket (H5). */
export function h5SocketFactory(): SocketFactory {
  return (url, h) => {
    const ws = new WebSocket(url)
    ws.onopen = () => h.onOpen()
    ws.onmessage = (ev) => h.onMessage(typeof ev.data === 'string' ? ev.data : '')
    ws.onclose = (ev) => h.onClose(ev.code, ev.reason)
    ws.onerror = () => {
      /* a close follows */
    }
    return { close: () => ws.close() }
  }
}

interface UniSocketTask {
  onOpen(cb: () => void): void
  onMessage(cb: (r: { data: unknown }) => void): void
  onClose(cb: (r: { code?: number; reason?: string }) => void): void
  onError(cb: (e: unknown) => void): void
  close(o?: Record<string, unknown>): void
}

/** `uni.connectSocket` (mini program); passed in so this module has no hard `uni` dependency. */
export function uniSocketFactory(connectSocket: (o: Record<string, unknown>) => unknown): SocketFactory {
  return (url, h) => {
    let closed = false
    const done = (code: number, reason: string) => {
      if (closed) return
      closed = true
      h.onClose(code, reason)
    }
    const task = connectSocket({ url, complete: () => {} }) as UniSocketTask
    task.onOpen(() => h.onOpen())
    task.onMessage((r) => h.onMessage(typeof r.data === 'string' ? r.data : ''))
    task.onClose((r) => done(r?.code ?? 1006, r?.reason ?? ''))
    task.onError(() => done(1006, 'error'))
    return {
      close: () => {
        closed = true
        try {
          task.close({})
        } catch {
          /* ignore */
        }
      },
    }
  }
}
